package io.warden.scanner.vuln;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/** The base score of a CVSS v3.0 or v3.1 vector, computed as the CVSS v3.1 specification (section 7.1) defines it. */
public final class Cvss3 {
    private Cvss3() {}

    /**
     * @throws IllegalArgumentException naming the vector when it is not a complete CVSS v3.x base vector
     */
    public static double baseScore(String vector) {
        if (vector == null || !(vector.startsWith("CVSS:3.0/") || vector.startsWith("CVSS:3.1/"))) {
            throw new IllegalArgumentException("not a CVSS v3 vector: '" + vector + "'");
        }
        Map<String, String> metrics = new HashMap<>();
        for (String part : vector.substring("CVSS:3.x/".length()).split("/")) {
            String[] kv = part.split(":", 2);
            if (kv.length != 2 || metrics.put(kv[0], kv[1]) != null) {
                throw new IllegalArgumentException("malformed metric '" + part + "' in CVSS vector '" + vector + "'");
            }
        }
        boolean scopeChanged = switch (metric(metrics, "S", vector)) {
            case "U" -> false;
            case "C" -> true;
            default -> throw invalid("S", metrics, vector);
        };
        double av = weight(metrics, "AV", vector, Map.of("N", 0.85, "A", 0.62, "L", 0.55, "P", 0.2));
        double ac = weight(metrics, "AC", vector, Map.of("L", 0.77, "H", 0.44));
        double pr = weight(
                metrics,
                "PR",
                vector,
                scopeChanged ? Map.of("N", 0.85, "L", 0.68, "H", 0.5) : Map.of("N", 0.85, "L", 0.62, "H", 0.27));
        double ui = weight(metrics, "UI", vector, Map.of("N", 0.85, "R", 0.62));
        Map<String, Double> cia = Map.of("H", 0.56, "L", 0.22, "N", 0.0);
        double c = weight(metrics, "C", vector, cia);
        double i = weight(metrics, "I", vector, cia);
        double a = weight(metrics, "A", vector, cia);

        double iss = 1 - (1 - c) * (1 - i) * (1 - a);
        double impact = scopeChanged ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
        double exploitability = 8.22 * av * ac * pr * ui;
        if (impact <= 0) {
            return 0.0;
        }
        double sum = scopeChanged ? 1.08 * (impact + exploitability) : impact + exploitability;
        return roundUp(Math.min(sum, 10));
    }

    /** CVSS v3.1 Roundup: the smallest one-decimal number not below the input, immune to floating-point noise. */
    static double roundUp(double value) {
        long scaled = Math.round(value * 100_000);
        if (scaled % 10_000 == 0) {
            return scaled / 100_000.0;
        }
        return BigDecimal.valueOf(Math.floorDiv(scaled, 10_000) + 1)
                .movePointLeft(1)
                .doubleValue();
    }

    private static String metric(Map<String, String> metrics, String name, String vector) {
        String value = metrics.get(name);
        if (value == null) {
            throw new IllegalArgumentException("CVSS vector '" + vector + "' lacks the base metric " + name);
        }
        return value;
    }

    private static double weight(Map<String, String> metrics, String name, String vector, Map<String, Double> weights) {
        Double w = weights.get(metric(metrics, name, vector));
        if (w == null) {
            throw invalid(name, metrics, vector);
        }
        return w;
    }

    private static IllegalArgumentException invalid(String name, Map<String, String> metrics, String vector) {
        return new IllegalArgumentException(
                "invalid value '" + metrics.get(name) + "' of " + name + " in CVSS vector '" + vector + "'");
    }
}
