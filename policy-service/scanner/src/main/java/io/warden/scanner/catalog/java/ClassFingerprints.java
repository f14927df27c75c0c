package io.warden.scanner.catalog.java;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Classes that identify a library even when its metadata was stripped or its packages relocated, and narrow its
 * version: {@code fingerprint-classes.tsv} names the classes, {@code class-fingerprints.tsv} gives the
 * {@link ClassShape} fingerprint of each in every version it was built from (real jars from Maven Central, by the
 * fingerprints profile of the build; no hash is typed by hand).
 */
public final class ClassFingerprints {
    static final String CLASSES = "fingerprint-classes.tsv";
    static final String TABLE = "class-fingerprints.tsv";

    /** One fingerprinted class of a library. */
    public record FingerprintedClass(String library, String canonicalPath, String marker) {
        public String fileName() {
            return canonicalPath.substring(canonicalPath.lastIndexOf('/') + 1);
        }
    }

    /**
     * A class that matched.
     *
     * @param versions the versions of the library whose class has these bytes; empty when only the marker matched
     */
    public record Match(FingerprintedClass fingerprinted, String fingerprint, List<String> versions) {}

    private static final ClassFingerprints BUILT_IN = load();

    private final List<FingerprintedClass> classes;
    private final Set<String> fileNames = new HashSet<>();
    /** fingerprint + " " + canonical path → versions. */
    private final Map<String, List<String>> versions;

    ClassFingerprints(List<FingerprintedClass> classes, Map<String, List<String>> versions) {
        this.classes = List.copyOf(classes);
        this.versions = versions;
        classes.forEach(c -> fileNames.add(c.fileName()));
    }

    public static ClassFingerprints builtIn() {
        return BUILT_IN;
    }

    public List<FingerprintedClass> classes() {
        return classes;
    }

    /** Whether a jar entry may be one of the fingerprinted classes (by its file name, whatever its package). */
    public boolean mayMatch(String path) {
        int slash = path.lastIndexOf('/');
        return path.endsWith(".class") && fileNames.contains(path.substring(slash + 1));
    }

    /** The fingerprinted classes that these bytes, found at this path, are. */
    public List<Match> match(String path, byte[] classFile) {
        List<Match> matches = new ArrayList<>();
        String fingerprint = null;
        for (FingerprintedClass c : classes) {
            if (!path.endsWith("/" + c.fileName()) && !path.equals(c.fileName())) {
                continue;
            }
            if (fingerprint == null) {
                fingerprint = ClassShape.fingerprint(classFile);
                if (fingerprint == null) {
                    return matches;
                }
            }
            List<String> known = versions.get(fingerprint + " " + c.canonicalPath());
            if (known != null) {
                matches.add(new Match(c, fingerprint, known));
            } else if (c.marker() != null && contains(classFile, c.marker())) {
                matches.add(new Match(c, fingerprint, List.of()));
            }
        }
        return matches;
    }

    private static boolean contains(byte[] haystack, String marker) {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static ClassFingerprints load() {
        List<FingerprintedClass> classes = new ArrayList<>();
        for (String[] f : ResourceTable.rows(CLASSES, 2)) {
            classes.add(new FingerprintedClass(f[0], f[1], f.length > 2 ? f[2] : null));
        }
        Map<String, List<String>> versions = new HashMap<>();
        for (String[] f : ResourceTable.rows(TABLE, 4)) {
            versions.put(f[2] + " " + f[1], List.of(f[3].split(",")));
        }
        return new ClassFingerprints(classes, versions);
    }
}
