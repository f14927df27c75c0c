package io.warden.probe;

/**
 * Loads a native library as a library's own loader class does: NativeProbe defines it from a jar of its own, so that the
 * caller the JDK names for the load is a class of that jar.
 */
public final class LibraryLoading {

    private LibraryLoading() {}

    public static void load(String path) {
        System.load(path);
    }
}
