package io.warden.policy.internal;

import java.net.InetAddress;

/**
 * An IP address in canonical form: IPv4-mapped ({@code ::ffff:a.b.c.d}), IPv4-compatible ({@code ::a.b.c.d}) and NAT64
 * ({@code 64:ff9b::a.b.c.d}) IPv6 addresses are the IPv4 address they embed. IPv4 keeps its 32 bits in {@code low}.
 */
public final class IpAddress {
    private final boolean v4;
    private final long high;
    private final long low;

    private IpAddress(boolean v4, long high, long low) {
        this.v4 = v4;
        this.high = high;
        this.low = low;
    }

    public static IpAddress v4(long bits) {
        return new IpAddress(true, 0, bits & 0xFFFF_FFFFL);
    }

    /** The canonical form of an IPv6 address: the embedded IPv4 address where it has one. */
    public static IpAddress v6(long high, long low) {
        return embedsV4(high, low) ? v4(low) : new IpAddress(false, high, low);
    }

    /** True when a host string is an IP address literal (dotted IPv4, or anything with ':' as IPv6), not a name. */
    public static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || IpLiterals.parseV4(host) >= 0;
    }

    public static IpAddress of(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return v4(toLong(bytes, 0, 4));
        }
        return v6(toLong(bytes, 0, 8), toLong(bytes, 8, 16));
    }

    /**
     * True for {@code ::ffff:0:0/96}, {@code 64:ff9b::/96}, and {@code ::/96} apart from {@code ::0.0.0.0/8} (which holds
     * {@code ::} and {@code ::1}, not IPv4-compatible addresses).
     */
    static boolean embedsV4(long high, long low) {
        long upper32OfLow = low >>> 32;
        if (high == 0 && upper32OfLow == 0xFFFFL) {
            return true;
        }
        if (high == 0x0064_FF9B_0000_0000L && upper32OfLow == 0) {
            return true;
        }
        return high == 0 && upper32OfLow == 0 && (low >>> 24) != 0;
    }

    private static long toLong(byte[] bytes, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value;
    }

    public boolean isV4() {
        return v4;
    }

    public long high() {
        return high;
    }

    public long low() {
        return low;
    }
}
