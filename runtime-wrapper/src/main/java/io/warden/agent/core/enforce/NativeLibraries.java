package io.warden.agent.core.enforce;

import java.io.File;
import java.lang.reflect.Method;

/**
 * Finds the file {@code System.loadLibrary(name)} will load, the way the JDK does: the calling class's loader first
 * ({@code ClassLoader.findLibrary}), then {@code java.library.path}. The search path is read when the agent starts, as
 * the JDK reads it: changing the property later changes neither the JDK's search nor Warden's.
 */
public final class NativeLibraries {

    private final String[] searchPath;

    public NativeLibraries(String libraryPath, String bootLibraryPath) {
        this.searchPath = (libraryPath + File.pathSeparator + bootLibraryPath).split(File.pathSeparator);
    }

    String locate(String libraryName, Class<?> caller) {
        ClassLoader loader = caller == null ? null : caller.getClassLoader();
        if (loader != null) {
            try {
                Method findLibrary = ClassLoader.class.getDeclaredMethod("findLibrary", String.class);
                findLibrary.setAccessible(true);
                Object path = findLibrary.invoke(loader, libraryName);
                if (path != null) {
                    return new File((String) path).getAbsolutePath();
                }
            } catch (ReflectiveOperationException | RuntimeException notAvailable) {
                // Fall back to the library path, as the JDK would.
            }
        }
        String fileName = System.mapLibraryName(libraryName);
        for (String directory : searchPath) {
            File candidate = new File(directory.isEmpty() ? "." : directory, fileName);
            if (candidate.isFile()) {
                return candidate.getAbsolutePath();
            }
        }
        return fileName;
    }
}
