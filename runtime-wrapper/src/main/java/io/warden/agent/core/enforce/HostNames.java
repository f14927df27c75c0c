package io.warden.agent.core.enforce;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Reads an address's host name without a reverse lookup, and formats connect targets. */
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

    /** "host:port (address)" when a name is known, else "address:port"; IPv6 literals in brackets. */
    static String describe(String hostName, InetAddress address, int port) {
        String literal = address.getHostAddress();
        String endpoint = (address instanceof Inet6Address ? "[" + literal + "]" : literal) + ":" + port;
        return hostName == null || hostName.equals(literal) ? endpoint : hostName + ":" + port + " (" + endpoint + ")";
    }
}
