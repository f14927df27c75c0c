package io.warden.policy.internal;

/**
 * A {@code network.listen} entry: a local port, {@code 8080}, or an inclusive range, {@code 8000-8099}. Port
 * {@code 0} stands for a port the system picks (a server bound to port 0).
 */
public final class PortRange implements Rule {
    private static final int MAX_PORT = 65535;

    private final String text;
    private final int low;
    private final int high;

    private PortRange(String text, int low, int high) {
        this.text = text;
        this.low = low;
        this.high = high;
    }

    /** @throws IllegalArgumentException with the offending value */
    public static PortRange parse(String text) {
        int dash = text.indexOf('-');
        int low = port(text, dash < 0 ? text : text.substring(0, dash));
        int high = dash < 0 ? low : port(text, text.substring(dash + 1));
        if (high < low) {
            throw new IllegalArgumentException("\"" + text + "\" is a range whose end is below its start");
        }
        return new PortRange(text, low, high);
    }

    private static int port(String text, String digits) {
        if (digits.isEmpty()
                || digits.length() > 5
                || !IpLiterals.allDigits(digits)
                || (digits.length() > 1 && digits.charAt(0) == '0')
                || Integer.parseInt(digits) > MAX_PORT) {
            throw new IllegalArgumentException("\"" + text + "\" is not a port 0-" + MAX_PORT + " or a range low-high");
        }
        return Integer.parseInt(digits);
    }

    public boolean matches(int port) {
        return port >= low && port <= high;
    }

    @Override
    public String text() {
        return text;
    }
}
