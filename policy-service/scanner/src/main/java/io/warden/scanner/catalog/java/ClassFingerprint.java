package io.warden.scanner.catalog.java;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A class that identifies a library even when its metadata was stripped or its packages relocated: the class's simple
 * file name plus a string constant that only that class carries.
 *
 * @param classFileName for example {@code JndiLookup.class}
 * @param constant a string constant in the class's constant pool, compared as bytes
 * @param canonicalPath the class's path when not relocated
 * @param name the Maven coordinates {@code groupId:artifactId} it identifies
 * @param bundleSymbolicName the library's own OSGi name, to trust the manifest version of an unrelocated copy
 */
public record ClassFingerprint(
        String classFileName, String constant, String canonicalPath, String name, String bundleSymbolicName) {

    /** The famous cases, in one place. */
    public static final List<ClassFingerprint> KNOWN = List.of(new ClassFingerprint(
            "JndiLookup.class",
            "java:comp/env/",
            "org/apache/logging/log4j/core/lookup/JndiLookup.class",
            "org.apache.logging.log4j:log4j-core",
            "org.apache.logging.log4j.core"));

    boolean namesFile(String path) {
        int start = path.length() - classFileName.length();
        return path.endsWith(classFileName) && (start == 0 || path.charAt(start - 1) == '/');
    }

    boolean matchesContent(byte[] classBytes) {
        byte[] needle = constant.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + needle.length <= classBytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (classBytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
