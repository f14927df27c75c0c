package io.warden.agent.core.enforce;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Reads an address's host name without a reverse lookup, names reverse lookups, and formats connect targets. */
final class HostNames {

    private HostNames() {}

    /**
     * The name the address was resolved from, or null. {@code InetAddress.toString()} is "name/literal" and never does a
     * lookup, unlike {@code getHostName()}.
     */
    static String of(InetAddress address) {
        String text = address.toString();
        int slash = text.indexOf('/');
        return slash <= 0 ? null : text.substring(0, slash);
    }

    /**
     * The name a reverse lookup of the address asks the DNS for: {@code 4.3.2.1.in-addr.arpa} for 1.2.3.4, the address's
     * nibbles in reverse under {@code ip6.arpa} for IPv6.
     */
    static String reverseLookupName(byte[] address) {
        StringBuilder name = new StringBuilder(address.length == 4 ? 29 : 73);
        for (int i = address.length - 1; i >= 0; i--) {
            int octet = address[i] & 0xff;
            if (address.length == 4) {
                name.append(octet).append('.');
            } else {
                name.append(Character.forDigit(octet & 0xf, 16))
                        .append('.')
                        .append(Character.forDigit(octet >> 4, 16))
                        .append('.');
            }
        }
        return name.append(address.length == 4 ? "in-addr.arpa" : "ip6.arpa").toString();
    }

    /** "host:port (address)" when a name is known, else "address:port"; IPv6 literals in brackets. */
    static String describe(String hostName, InetAddress address, int port) {
        String literal = address.getHostAddress();
        String endpoint = (address instanceof Inet6Address ? "[" + literal + "]" : literal) + ":" + port;
        return hostName == null || hostName.equals(literal) ? endpoint : hostName + ":" + port + " (" + endpoint + ")";
    }
}
