package io.warden.scanner.vuln;

import io.warden.scanner.vuln.version.VersionScheme;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * OSV's evaluation of one affected entry, compiled once per package so that matching a component is only comparisons.
 *
 * <ul>
 *   <li>{@code ECOSYSTEM} ranges use the ecosystem's version order; {@code SEMVER} ranges use SemVer 2.0 precedence;
 *       {@code GIT} ranges name commits, which a package does not carry, so they are not evaluated.
 *   <li>Events are sorted by version ({@code introduced: "0"} first). Walking them in order, {@code introduced} at or
 *       below the version makes it affected, {@code fixed} at or below the version and {@code last_affected} below it
 *       make it unaffected; a {@code limit} at or below the version excludes it from that range.
 *   <li>Data quirks: an event with an empty version ({@code "fixed": ""}) is ignored. A range left open at the top
 *       (no fixed, last_affected or limit) is closed by {@code database_specific.last_known_affected_version_range}
 *       ({@code "< X"} acts as fixed X, {@code "<= X"} as last_affected X) when the record gives one; otherwise every
 *       version from {@code introduced} on is affected, as OSV says.
 *   <li>A version in {@code versions} is affected (compared in the ecosystem's order, so 2.4 equals 2.4.0).
 *   <li>A version that the order cannot parse is matched by {@code versions} only; an event version that cannot be
 *       parsed makes its range unusable (ignored).
 * </ul>
 */
public final class OsvEvaluator {
    private static final String INTRODUCED = "introduced";
    private static final String FIXED = "fixed";
    private static final String LAST_AFFECTED = "last_affected";
    private static final String LIMIT = "limit";

    private final List<CompiledRange> ranges = new ArrayList<>();
    private final List<String> versions;
    private final VersionScheme ecosystemScheme;

    private record CompiledEvent(String kind, String text, Comparable<Object> version) {}

    private record CompiledRange(VersionScheme scheme, List<CompiledEvent> events, List<CompiledEvent> limits) {}

    /** The outcome for one version: whether it is affected, and the fixed versions above it in the matching ranges. */
    public record Outcome(boolean affected, List<String> fixedIn) {
        static final Outcome NOT_AFFECTED = new Outcome(false, List.of());
    }

    public OsvEvaluator(AffectedSpec spec, VersionScheme ecosystemScheme) {
        this.ecosystemScheme = ecosystemScheme;
        this.versions = spec.versions();
        for (AffectedSpec.Range range : spec.ranges()) {
            VersionScheme scheme = switch (range.type()) {
                case "ECOSYSTEM" -> ecosystemScheme;
                case "SEMVER" -> VersionScheme.SEMVER;
                default -> null;
            };
            if (scheme != null) {
                compile(range, scheme, spec.lastKnownAffectedRange());
            }
        }
    }

    private void compile(AffectedSpec.Range range, VersionScheme scheme, String lastKnownAffected) {
        List<CompiledEvent> events = new ArrayList<>();
        List<CompiledEvent> limits = new ArrayList<>();
        try {
            for (AffectedSpec.Event e : range.events()) {
                if (e.version().isBlank()) {
                    continue;
                }
                boolean zero = e.kind().equals(INTRODUCED) && e.version().equals("0");
                CompiledEvent compiled =
                        new CompiledEvent(e.kind(), e.version(), zero ? null : scheme.parse(e.version()));
                (e.kind().equals(LIMIT) ? limits : events).add(compiled);
            }
            boolean openAtTop =
                    limits.isEmpty() && events.stream().noneMatch(e -> !e.kind().equals(INTRODUCED));
            if (openAtTop && lastKnownAffected != null) {
                String bound = lastKnownAffected.trim();
                if (bound.startsWith("<=")) {
                    String v = bound.substring(2).trim();
                    events.add(new CompiledEvent(LAST_AFFECTED, v, scheme.parse(v)));
                } else if (bound.startsWith("<")) {
                    String v = bound.substring(1).trim();
                    events.add(new CompiledEvent(FIXED, v, scheme.parse(v)));
                }
            }
        } catch (IllegalArgumentException unparsable) {
            return;
        }
        events.sort(Comparator.comparing(CompiledEvent::version, Comparator.nullsFirst(Comparator.naturalOrder())));
        ranges.add(new CompiledRange(scheme, events, limits));
    }

    /** A component's version, parsed at most once per version order however many entries it is evaluated against. */
    public static final class Candidate {
        private final String text;
        private final Map<VersionScheme, Comparable<Object>> parsed = new IdentityHashMap<>(2);

        /** @param text null when the version is unknown */
        public Candidate(String text) {
            this.text = text;
        }

        Comparable<Object> in(VersionScheme scheme) {
            if (parsed.containsKey(scheme)) {
                return parsed.get(scheme);
            }
            Comparable<Object> v;
            try {
                v = scheme.parse(text);
            } catch (IllegalArgumentException unparsable) {
                v = null;
            }
            parsed.put(scheme, v);
            return v;
        }
    }

    /** Evaluates a version; an unknown version matches when the entry has any usable range or version list. */
    public Outcome evaluate(Candidate candidate) {
        String version = candidate.text;
        if (version == null) {
            boolean any = !ranges.isEmpty() || !versions.isEmpty();
            List<String> fixed = new ArrayList<>();
            ranges.forEach(
                    r -> r.events.stream().filter(e -> e.kind.equals(FIXED)).forEach(e -> fixed.add(e.text)));
            return any ? new Outcome(true, fixed) : Outcome.NOT_AFFECTED;
        }
        Comparable<Object> inOrder = candidate.in(ecosystemScheme);
        for (String listed : versions) {
            if (listed.equals(version) || (inOrder != null && equalInOrder(listed, inOrder))) {
                return new Outcome(true, List.of());
            }
        }
        for (CompiledRange range : ranges) {
            Comparable<Object> v = candidate.in(range.scheme);
            if (v != null && inRange(range, v)) {
                List<String> fixed = new ArrayList<>();
                for (CompiledEvent e : range.events) {
                    if (e.kind.equals(FIXED) && e.version.compareTo(v) > 0) {
                        fixed.add(e.text);
                    }
                }
                return new Outcome(true, fixed);
            }
        }
        return Outcome.NOT_AFFECTED;
    }

    private boolean equalInOrder(String listed, Comparable<Object> version) {
        try {
            return ecosystemScheme.parse(listed).compareTo(version) == 0;
        } catch (IllegalArgumentException unparsable) {
            return false;
        }
    }

    private static boolean inRange(CompiledRange range, Comparable<Object> v) {
        for (CompiledEvent limit : range.limits) {
            if (v.compareTo(limit.version) >= 0) {
                return false;
            }
        }
        boolean affected = false;
        for (CompiledEvent e : range.events) {
            switch (e.kind) {
                case INTRODUCED -> {
                    if (e.version == null || v.compareTo(e.version) >= 0) {
                        affected = true;
                    }
                }
                case FIXED -> {
                    if (v.compareTo(e.version) >= 0) {
                        affected = false;
                    }
                }
                case LAST_AFFECTED -> {
                    if (v.compareTo(e.version) > 0) {
                        affected = false;
                    }
                }
                default -> throw new IllegalStateException("unexpected OSV event " + e.kind);
            }
        }
        return affected;
    }
}
