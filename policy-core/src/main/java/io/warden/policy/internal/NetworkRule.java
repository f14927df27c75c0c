package io.warden.policy.internal;

/**
 * A {@code network} entry: a host name or {@code *.suffix} wildcard, an IP address or a CIDR range, each optionally
 * with {@code :port} (IPv6 with a port in brackets: {@code [::1]:443}, {@code [fd00::/8]:443}). No port means every port.
 */
public final class NetworkRule implements Rule {
    /** Port value meaning "every port". */
    public static final int ANY_PORT = 0;

    private static final int MAX_PORT = 65535;

    private final String text;
    private final HostPattern host;
    private final AddressRange addresses;
    private final int port;

    private NetworkRule(String text, HostPattern host, AddressRange addresses, int port) {
        this.text = text;
        this.host = host;
        this.addresses = addresses;
        this.port = port;
    }

    /** @throws IllegalArgumentException with the offending value */
    public static NetworkRule parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an empty entry is not a host, address or range");
        }
        String target;
        String portText = null;
        if (text.charAt(0) == '[') {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("\"" + text + "\" has '[' without a closing ']'");
            }
            target = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (rest.charAt(0) != ':') {
                    throw new IllegalArgumentException("\"" + text + "\" must be [IPv6] or [IPv6]:port");
                }
                portText = rest.substring(1);
            }
            if (target.indexOf(':') < 0) {
                throw new IllegalArgumentException("\"" + text + "\" has brackets around something that is not IPv6");
            }
        } else {
            int firstColon = text.indexOf(':');
            if (firstColon >= 0 && text.indexOf(':', firstColon + 1) < 0) {
                target = text.substring(0, firstColon);
                portText = text.substring(firstColon + 1);
            } else {
                target = text;
            }
        }
        int port = portText == null ? ANY_PORT : parsePort(text, portText);
        AddressRange addresses = AddressRange.parse(target);
        HostPattern host = addresses == null ? HostPattern.parse(target) : null;
        return new NetworkRule(text, host, addresses, port);
    }

    private static int parsePort(String text, String portText) {
        if (portText.isEmpty() || portText.length() > 5 || !IpLiterals.allDigits(portText)) {
            throw new IllegalArgumentException(
                    "\"" + text + "\" has port \"" + portText + "\" that is not a number 1-" + MAX_PORT);
        }
        int port = Integer.parseInt(portText);
        if (port < 1 || port > MAX_PORT) {
            throw new IllegalArgumentException("\"" + text + "\" has port " + port + " outside 1-" + MAX_PORT);
        }
        return port;
    }

    /**
     * @param normalizedHost the host name the address was resolved from ({@link HostPattern#normalize}), or null
     */
    public boolean matches(String normalizedHost, IpAddress address, int port) {
        if (this.port != ANY_PORT && this.port != port) {
            return false;
        }
        if (addresses != null) {
            return addresses.contains(address);
        }
        return normalizedHost != null && host.matches(normalizedHost);
    }

    /** The host name pattern, or null when the entry is an address or range. */
    public HostPattern host() {
        return host;
    }

    /** The address range, or null when the entry is a host name. */
    public AddressRange addresses() {
        return addresses;
    }

    /** The port, or {@link #ANY_PORT}. */
    public int port() {
        return port;
    }

    @Override
    public String text() {
        return text;
    }
}
