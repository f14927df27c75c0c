package io.warden.policy.internal;

/**
 * An IP address or CIDR range in canonical form (see {@link IpAddress}): {@code 10.0.0.0/8}, {@code fd00::/8},
 * {@code 192.0.2.1}, {@code ::ffff:10.0.0.0/104} (which is {@code 10.0.0.0/8}).
 */
public final class AddressRange {
    private final boolean v4;
    private final long high;
    private final long low;
    private final int prefixLength;
    private final long highMask;
    private final long lowMask;

    private AddressRange(boolean v4, long high, long low, int prefixLength) {
        this.v4 = v4;
        this.prefixLength = prefixLength;
        if (v4) {
            highMask = 0;
            lowMask = prefixLength == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefixLength)) & 0xFFFF_FFFFL;
        } else {
            highMask = prefixLength == 0 ? 0 : prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
            lowMask = prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
        }
        this.high = high;
        this.low = low;
    }

    /** The single address. */
    public static AddressRange of(IpAddress address) {
        return new AddressRange(address.isV4(), address.high(), address.low(), address.isV4() ? 32 : 128);
    }

    /**
     * Parses an address or a CIDR range.
     *
     * @return null when {@code text} is not an IP address literal at all (no ':' and not four dotted numbers)
     * @throws IllegalArgumentException when it is meant as one but is invalid
     */
    public static AddressRange parse(String text) {
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        boolean v6Text = addressText.indexOf(':') >= 0;
        IpAddress address;
        if (v6Text) {
            address = IpLiterals.parseV6(addressText);
        } else {
            long v4 = IpLiterals.parseV4(addressText);
            if (v4 < 0) {
                if (slash >= 0 && IpLiterals.looksNumeric(addressText)) {
                    throw new IllegalArgumentException(
                            "\"" + addressText + "\" is not an IPv4 address (four numbers 0-255)");
                }
                return null;
            }
            address = IpAddress.v4(v4);
        }
        int maxPrefix = v6Text ? 128 : 32;
        int prefix = maxPrefix;
        if (slash >= 0) {
            prefix = parsePrefix(text.substring(slash + 1), maxPrefix);
        }
        if (v6Text && address.isV4()) {
            if (prefix < 96) {
                throw new IllegalArgumentException("\"" + text + "\" embeds an IPv4 address, so its prefix must be at"
                        + " least /96 (the IPv4 part)");
            }
            prefix -= 96;
        }
        AddressRange range = new AddressRange(address.isV4(), address.high(), address.low(), prefix);
        if ((range.high & ~range.highMask) != 0 || (range.low & ~range.lowMask) != 0) {
            throw new IllegalArgumentException("\"" + text + "\" has address bits set beyond the /"
                    + text.substring(slash + 1) + " prefix; they must be zero");
        }
        return range;
    }

    private static int parsePrefix(String text, int maxPrefix) {
        if (text.isEmpty()
                || text.length() > 3
                || !IpLiterals.allDigits(text)
                || (text.length() > 1 && text.charAt(0) == '0')) {
            throw new IllegalArgumentException("prefix length \"/" + text + "\" is not a number 0-" + maxPrefix);
        }
        int prefix = Integer.parseInt(text);
        if (prefix > maxPrefix) {
            throw new IllegalArgumentException("prefix length /" + prefix + " is outside 0-" + maxPrefix);
        }
        return prefix;
    }

    public boolean contains(IpAddress address) {
        return address.isV4() == v4 && (address.high() & highMask) == high && (address.low() & lowMask) == low;
    }

    /** Prefix length in the range's own family: 32 for one IPv4 address, 128 for one IPv6 address. */
    public int prefixLength() {
        return prefixLength;
    }

    public boolean isV4() {
        return v4;
    }
}
