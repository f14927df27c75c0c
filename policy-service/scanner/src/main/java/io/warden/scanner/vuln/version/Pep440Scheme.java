package io.warden.scanner.vuln.version;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEP 440 version order for PyPI. No maintained Java library implements it, so this is a small implementation of the
 * specification's normalization and ordering (epoch, release with trailing zeros ignored, pre-, post- and
 * dev-releases, local versions), following the reference behaviour of Python's {@code packaging.version}.
 */
public final class Pep440Scheme implements VersionScheme {
    private static final Pattern VERSION = Pattern.compile("v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)"
            + "(?<pre>[-_.]?(?<preL>alpha|beta|preview|pre|rc|a|b|c)[-_.]?(?<preN>[0-9]+)?)?"
            + "(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?"
            + "(?<dev>[-_.]?dev[-_.]?(?<devN>[0-9]+)?)?"
            + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?");

    @Override
    public Comparable<Object> parse(String version) {
        return VersionScheme.comparable(Pep440Version.parse(version));
    }

    /** One parsed version; compares as PEP 440 orders versions. */
    public record Pep440Version(
            long epoch, long[] release, int preRank, long preNumber, long post, long dev, List<Object> local)
            implements Comparable<Pep440Version> {
        private static final int DEV_ONLY = -1;
        private static final int FINAL = 3;

        public static Pep440Version parse(String text) {
            String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
            Matcher m = VERSION.matcher(s);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a PEP 440 version: '" + text + "'");
            }
            try {
                long epoch = m.group("epoch") == null ? 0 : Long.parseLong(m.group("epoch"));
                long[] release = Arrays.stream(m.group("release").split("\\."))
                        .mapToLong(Long::parseLong)
                        .toArray();
                int end = release.length;
                while (end > 1 && release[end - 1] == 0) {
                    end--;
                }
                release = Arrays.copyOf(release, end);
                boolean hasPre = m.group("pre") != null;
                boolean hasPost = m.group("post") != null;
                boolean hasDev = m.group("dev") != null;
                int preRank = FINAL;
                long preNumber = 0;
                if (hasPre) {
                    preRank = switch (m.group("preL")) {
                        case "a", "alpha" -> 0;
                        case "b", "beta" -> 1;
                        default -> 2; // rc, c, pre, preview
                    };
                    preNumber = number(m.group("preN"));
                } else if (!hasPost && hasDev) {
                    preRank = DEV_ONLY; // 1.0.dev1 sorts before 1.0a1
                }
                long post = !hasPost
                        ? Long.MIN_VALUE
                        : number(m.group("postN1") != null ? m.group("postN1") : m.group("postN2"));
                long dev = hasDev ? number(m.group("devN")) : Long.MAX_VALUE;
                List<Object> local = new ArrayList<>();
                if (m.group("local") != null) {
                    for (String part : m.group("local").split("[-_.]")) {
                        local.add(part.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(part) : part);
                    }
                }
                return new Pep440Version(epoch, release, preRank, preNumber, post, dev, List.copyOf(local));
            } catch (NumberFormatException tooLarge) {
                throw new IllegalArgumentException("not a PEP 440 version (number too large): '" + text + "'");
            }
        }

        private static long number(String digits) {
            return digits == null ? 0 : Long.parseLong(digits);
        }

        @Override
        public int compareTo(Pep440Version o) {
            int c = Long.compare(epoch, o.epoch);
            if (c != 0) {
                return c;
            }
            for (int i = 0; i < Math.max(release.length, o.release.length); i++) {
                c = Long.compare(i < release.length ? release[i] : 0, i < o.release.length ? o.release[i] : 0);
                if (c != 0) {
                    return c;
                }
            }
            c = Integer.compare(preRank, o.preRank);
            if (c == 0 && preRank != FINAL && preRank != DEV_ONLY) {
                c = Long.compare(preNumber, o.preNumber);
            }
            if (c == 0) {
                c = Long.compare(post, o.post);
            }
            if (c == 0) {
                c = Long.compare(dev, o.dev);
            }
            return c != 0 ? c : compareLocal(local, o.local);
        }

        /** No local part sorts first; numeric segments sort after alphanumeric ones; a longer match sorts later. */
        private static int compareLocal(List<Object> a, List<Object> b) {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                Object x = a.get(i);
                Object y = b.get(i);
                int c;
                if (x instanceof Long lx && y instanceof Long ly) {
                    c = Long.compare(lx, ly);
                } else if (x instanceof Long) {
                    c = 1;
                } else if (y instanceof Long) {
                    c = -1;
                } else {
                    c = ((String) x).compareTo((String) y);
                }
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(a.size(), b.size());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Pep440Version v && compareTo(v) == 0;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(epoch) * 31 + release.length;
        }

        @Override
        public String toString() {
            return (epoch == 0 ? "" : epoch + "!") + Arrays.toString(release);
        }
    }
}
