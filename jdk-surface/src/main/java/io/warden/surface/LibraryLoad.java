package io.warden.surface;

/**
 * A place where a JDK module's Java code asks for a native library: {@code caller} ({@code owner#name(descriptor)})
 * calls {@code loader} ({@code System.loadLibrary}, {@code BootLoader.loadLibrary}, ...) with {@code library}, the
 * constant name it passes, or null when the name is computed at run time.
 */
public record LibraryLoad(String module, String caller, String loader, String library)
        implements Comparable<LibraryLoad> {

    /** {@code caller -> loader(library)}, {@code ?} for a computed name. */
    public String key() {
        return caller + " -> " + loader + "(" + (library == null ? "?" : library) + ")";
    }

    @Override
    public int compareTo(LibraryLoad other) {
        return key().compareTo(other.key());
    }
}
