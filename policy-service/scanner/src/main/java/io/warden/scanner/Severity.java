package io.warden.scanner;

import java.util.Locale;

/** How bad a finding is; the order is the order of the constants. */
public enum Severity {
    UNKNOWN,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** The CVSS v3.x qualitative rating of a base score (0.0 rates as {@link #UNKNOWN}: no impact stated). */
    public static Severity ofScore(double score) {
        if (score >= 9.0) {
            return CRITICAL;
        }
        if (score >= 7.0) {
            return HIGH;
        }
        if (score >= 4.0) {
            return MEDIUM;
        }
        return score > 0 ? LOW : UNKNOWN;
    }

    /** GitHub's {@code database_specific.severity} words (MODERATE is MEDIUM) and these constants' names. */
    public static Severity ofWord(String word) {
        String upper = word.trim().toUpperCase(Locale.ROOT);
        return switch (upper) {
            case "MODERATE" -> MEDIUM;
            case "LOW", "MEDIUM", "HIGH", "CRITICAL" -> valueOf(upper);
            default -> UNKNOWN;
        };
    }

    public boolean atLeast(Severity threshold) {
        return compareTo(threshold) >= 0;
    }

    public String lowerCase() {
        return name().toLowerCase(Locale.ROOT);
    }
}
