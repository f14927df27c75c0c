package io.warden.surface;

/**
 * One {@code native} method of a JDK image. {@code owner} is the binary class name ({@code java.io.FileInputStream},
 * {@code java.net.InetAddress$CachedLookup}), {@code descriptor} the JVM method descriptor.
 */
public record NativeMethod(String module, String owner, String name, String descriptor)
        implements Comparable<NativeMethod> {

    /** {@code owner#name(descriptor)}: how the classification and the fixtures name it. */
    public String key() {
        return owner + "#" + name + descriptor;
    }

    /** The inverse of {@link #key()}, with the module given separately. */
    public static NativeMethod parse(String module, String key) {
        int hash = key.indexOf('#');
        int paren = key.indexOf('(', hash);
        if (hash <= 0 || paren <= hash + 1) {
            throw new IllegalArgumentException("not owner#name(descriptor): " + key);
        }
        return new NativeMethod(module, key.substring(0, hash), key.substring(hash + 1, paren), key.substring(paren));
    }

    public String packageName() {
        int dot = owner.lastIndexOf('.');
        return dot < 0 ? "" : owner.substring(0, dot);
    }

    @Override
    public int compareTo(NativeMethod other) {
        return key().compareTo(other.key());
    }
}
