package io.warden.agent.core.enforce;

import io.warden.policy.Environment;
import io.warden.policy.PathNormalizer;
import io.warden.policy.internal.Baseline;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Loads, in place of a native library from a writable place, Warden's own copy of it, when its bytes are those of a
 * library shipped in the function's read-only code (its jars and files under the task root, the layers under /opt, the
 * class path, the runtime): what aws-crt, Netty, sqlite-jdbc and zstd-jni do when they extract their JNI library to
 * /tmp. The design and what it leaves open are in docs/threat-model.md.
 *
 * <ul>
 *   <li>The candidate is read once into memory; its bytes are compared in full with the shipped library (size and
 *       CRC-32 only pick which to compare), and the copy is written from those same bytes. No hash provider is asked:
 *       the function could have installed its own.</li>
 *   <li>The copy is a new file (exclusive create, 0400) with a random name in a 0700 directory Warden made, loaded
 *       by Warden itself on the caller's class loader, and unlinked as soon as the loader has mapped it. While it has
 *       a name, every other thread's file change (write, rename, link, delete) waits, so nothing can replace or
 *       rewrite it between the comparison and the load; once unlinked, no name reaches it.</li>
 *   <li>The jar the loading class came from is searched first: aws-crt, sqlite-jdbc, zstd-jni and snappy-java load
 *       their library from a class of the jar that ships it, so their first load opens that one jar. Only when it holds
 *       no such library is the index of every shipped library (size, CRC-32, where) built, on that first need, never
 *       at start-up, and kept for the life of the JVM. Where the bytes are found changes nothing else: the jar must be
 *       one the index would read, and the copy is written from the bytes compared.</li>
 * </ul>
 */
final class ShippedLibraries {

    /** Larger candidates are not compared: no JNI library in common use comes near. */
    static final long MAX_LIBRARY_BYTES = 256L << 20;
    /** How deep the walk of a code directory goes, and how many files it looks at in all. */
    private static final int MAX_DEPTH = 16;

    private static final int MAX_FILES = 200_000;
    /** Lambda's only writable place, where the copies go (not java.io.tmpdir: the function may change it). */
    private static final String COPY_PARENT = "/tmp";

    private final Environment environment;
    private final Object monitor = new Object();
    /** The thread copying and loading a library; every other thread's file change waits while it is set. */
    private volatile Thread loading;

    private int loadingDepth;
    /** Null until a library first needs it. */
    private Map<Long, List<Shipped>> index;

    private File copyDirectory;
    /** The copy this thread is loading right now, if any: the load of that path is Warden's own. */
    private String copyInFlight;

    private final List<Loaded> loaded = new ArrayList<>();

    ShippedLibraries(Environment environment) {
        this.environment = environment;
    }

    /** Called before every file change: waits while another thread has a copy on disk. */
    void awaitQuiet() {
        Thread current = loading;
        if (current == null || current == Thread.currentThread()) {
            return;
        }
        synchronized (monitor) {
            awaitTurn();
        }
    }

    /** True when this is the load of the copy this very thread is making. */
    boolean isCopyInFlight(String path) {
        return loading == Thread.currentThread() && path.equals(copyInFlight);
    }

    /**
     * Starts the exclusive section for a load (re-entrant: a library's JNI_OnLoad may load another). Then, in order:
     * {@link #prepare}, {@link #load}, {@link #finish}.
     */
    void begin() {
        synchronized (monitor) {
            awaitTurn();
            loading = Thread.currentThread();
            loadingDepth++;
        }
    }

    /** Ends what {@link #begin} started. */
    void end() {
        synchronized (monitor) {
            if (--loadingDepth == 0) {
                loading = null;
                monitor.notifyAll();
            }
        }
    }

    /**
     * Warden's own I/O (call with checks off): the copy to load for {@code path} on {@code caller}'s loader, written to
     * disk; or the copy already loaded there for that path; or null when the bytes are those of no shipped library.
     */
    Copy prepare(String path, Class<?> caller) throws IOException {
        ClassLoader loader = caller == null ? null : caller.getClassLoader();
        for (Loaded previous : loaded) {
            if (previous.isFor(loader) && previous.path.equals(path)) {
                return new Copy(previous.copy, null, loader, path); // the JDK has it loaded under that name already
            }
        }
        byte[] bytes = read(path);
        if (bytes == null || !isShipped(bytes, caller)) {
            return null;
        }
        File copy = writeCopy(bytes, new File(path).getName());
        return new Copy(copy.getPath(), copy, loader, path);
    }

    /** Loads the copy on the caller's class loader, as System.load would (JNI_OnLoad runs here, checks on). */
    void load(Copy copy, Class<?> caller, LibraryLoader loader) {
        copyInFlight = copy.name;
        try {
            loader.load(caller, copy.file);
        } finally {
            copyInFlight = null;
        }
    }

    /** Warden's own I/O (call with checks off): unlinks the copy, which the loader has mapped or failed to load. */
    void finish(Copy copy, boolean loadedFine) {
        try {
            Files.deleteIfExists(copy.file.toPath());
        } catch (IOException | RuntimeException stillThere) {
            // Its directory is Warden's own and the file is read-only; nothing loads it again.
        }
        if (loadedFine) {
            loaded.add(new Loaded(copy.loader, copy.path, copy.name));
        }
    }

    private void awaitTurn() {
        boolean interrupted = false;
        while (loading != null && loading != Thread.currentThread()) {
            try {
                monitor.wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The whole file, or null when it is too large or unreadable. java.io: the JDK's own code, nothing replaceable. */
    private static byte[] read(String path) {
        File file = new File(path);
        long length = file.length();
        if (length <= 0 || length > MAX_LIBRARY_BYTES) {
            return null;
        }
        try (FileInputStream in = new FileInputStream(file)) {
            byte[] bytes = in.readNBytes((int) length + 1);
            return bytes.length == length ? bytes : null; // it changed size while being read
        } catch (IOException unreadable) {
            return null;
        }
    }

    private boolean isShipped(byte[] bytes, Class<?> caller) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length);
        long checksum = crc.getValue();
        String callerJar = callerJar(caller);
        if (callerJar != null && shippedIn(callerJar, bytes, checksum)) {
            return true;
        }
        List<Shipped> sameSize = index().get((long) bytes.length);
        if (sameSize == null) {
            return false;
        }
        for (Shipped shipped : sameSize) {
            if ((shipped.crc < 0 || shipped.crc == checksum) && shipped.sameBytes(bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The jar the caller's class was loaded from, when it is a file the index would read (a real path, no link on the
     * way, below one of the roots); null otherwise. Only final JDK methods are called on what the class carries, so no
     * code of the function's runs here; under a security manager (JDK 17), which getProtectionDomain would call, none.
     */
    @SuppressWarnings("removal") // System.getSecurityManager: only to stay clear of one the function installed
    private String callerJar(Class<?> caller) {
        if (caller == null || System.getSecurityManager() != null) {
            return null;
        }
        CodeSource source = caller.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        if (location == null || !"file".equals(location.getProtocol())) {
            return null;
        }
        String jar = location.getPath();
        // A name with escapes (%20) is left to the index rather than decoded here.
        if (jar.indexOf('%') >= 0 || !(jar.endsWith(".jar") || jar.endsWith(".zip"))) {
            return null;
        }
        try {
            if (!Path.of(jar).toRealPath().toString().equals(jar)) {
                return null;
            }
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
        for (String root : roots()) {
            if (jar.startsWith(root + "/") || jar.equals(root)) {
                return jar;
            }
        }
        return null;
    }

    /** True when a library entry of the jar has exactly these bytes. */
    private static boolean shippedIn(String jar, byte[] bytes, long checksum) {
        try (ZipFile zip = new ZipFile(jar)) {
            var entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!entry.isDirectory()
                        && entry.getSize() == bytes.length
                        && entry.getCrc() == checksum
                        && isLibraryName(name.substring(name.lastIndexOf('/') + 1))) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        if (Shipped.same(in, bytes)) {
                            return true;
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // The index decides.
        }
        return false;
    }

    private Map<Long, List<Shipped>> index() {
        if (index == null) {
            Map<Long, List<Shipped>> built = new HashMap<>();
            int[] budget = {MAX_FILES};
            for (String root : roots()) {
                walk(Path.of(root), built, budget);
            }
            index = built;
        }
        return index;
    }

    /** The function's read-only code: the task root, the layers, the runtime and the class path. */
    private List<String> roots() {
        List<String> roots = new ArrayList<>();
        String userDir = environment.userDir();
        for (String root : List.of(environment.taskRoot(), Baseline.LAYERS_ROOT, environment.runtimeDir())) {
            addOnce(roots, PathNormalizer.normalize(root, userDir));
        }
        for (String entry : environment.classPath()) {
            addOnce(roots, PathNormalizer.normalize(entry, userDir));
        }
        return roots;
    }

    private static void addOnce(List<String> roots, String root) {
        for (String known : roots) {
            if (root.equals(known) || root.startsWith(known + "/")) {
                return;
            }
        }
        roots.add(root);
    }

    private static void walk(Path root, Map<Long, List<Shipped>> index, int[] budget) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, Set.of(), MAX_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (--budget[0] < 0) {
                        return FileVisitResult.TERMINATE;
                    }
                    if (!attributes.isRegularFile()) {
                        return FileVisitResult.CONTINUE;
                    }
                    String name = file.getFileName().toString();
                    if (isLibraryName(name)) {
                        add(index, new Shipped(attributes.size(), -1, file.toString(), null));
                    } else if (name.endsWith(".jar") || name.endsWith(".zip")) {
                        addJarEntries(file, index);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException unreadable) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | RuntimeException unreadable) {
            // What could be read is indexed; a library only in the rest stays blocked.
        }
    }

    private static void addJarEntries(Path jar, Map<Long, List<Shipped>> index) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            var entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!entry.isDirectory()
                        && entry.getSize() > 0
                        && isLibraryName(name.substring(name.lastIndexOf('/') + 1))) {
                    add(index, new Shipped(entry.getSize(), entry.getCrc(), jar.toString(), name));
                }
            }
        } catch (IOException | RuntimeException notAZip) {
            // Not a jar after all: nothing shipped in it.
        }
    }

    /** {@code libx.so} and versioned {@code libx.so.1}: the names JNI libraries are shipped under on Linux. */
    static boolean isLibraryName(String name) {
        return name.endsWith(".so") || name.contains(".so.");
    }

    private static void add(Map<Long, List<Shipped>> index, Shipped shipped) {
        index.computeIfAbsent(shipped.size, size -> new ArrayList<>()).add(shipped);
    }

    private File writeCopy(byte[] bytes, String originalName) throws IOException {
        File directory = copyDirectory();
        String name = randomHex() + "-" + originalName;
        Path copy = directory.toPath().resolve(name);
        try (SeekableByteChannel out = Files.newByteChannel(
                copy,
                Set.<OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--------")))) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
        return new File(directory, name);
    }

    /** A fresh directory of Warden's own, 0700, with a random name; its canonical path, as the JDK will name the copy. */
    private File copyDirectory() throws IOException {
        if (copyDirectory == null) {
            Path directory = Path.of(COPY_PARENT, ".warden-native-" + randomHex());
            Files.createDirectory(
                    directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            copyDirectory = directory.toFile().getCanonicalFile();
        }
        return copyDirectory;
    }

    /** 64 random bits from the kernel: no SecureRandom, whose providers the function could have replaced. */
    private static String randomHex() throws IOException {
        try (InputStream in = new FileInputStream("/dev/urandom")) {
            byte[] bytes = in.readNBytes(8);
            StringBuilder hex = new StringBuilder(16);
            for (byte b : bytes) {
                hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return hex.toString();
        }
    }

    /** A copy to load: its path (the JDK's name for it), the file, and for whom. */
    static final class Copy {
        final String name;
        /** Null when the copy was loaded before and is only named again. */
        final File file;

        final ClassLoader loader;
        final String path;

        Copy(String name, File file, ClassLoader loader, String path) {
            this.name = name;
            this.file = file;
            this.loader = loader;
            this.path = path;
        }
    }

    /** A copy loaded for a path on a class loader (weakly held: the JDK unloads its libraries with it; null: boot). */
    private static final class Loaded {
        final WeakReference<ClassLoader> loader;
        final String path;
        final String copy;

        Loaded(ClassLoader loader, String path, String copy) {
            this.loader = loader == null ? null : new WeakReference<>(loader);
            this.path = path;
            this.copy = copy;
        }

        boolean isFor(ClassLoader candidate) {
            return loader == null ? candidate == null : candidate != null && loader.get() == candidate;
        }
    }

    /** A native library shipped as a file or a jar entry; {@code crc} is -1 for a file (its bytes are compared). */
    private static final class Shipped {
        final long size;
        final long crc;
        final String file;
        final String entry;

        Shipped(long size, long crc, String file, String entry) {
            this.size = size;
            this.crc = crc;
            this.file = file;
            this.entry = entry;
        }

        boolean sameBytes(byte[] bytes) throws IOException {
            if (entry == null) {
                try (InputStream in = new FileInputStream(file)) {
                    return same(in, bytes);
                }
            }
            try (ZipFile zip = new ZipFile(file)) {
                ZipEntry found = zip.getEntry(entry);
                if (found == null) {
                    return false;
                }
                try (InputStream in = zip.getInputStream(found)) {
                    return same(in, bytes);
                }
            }
        }

        static boolean same(InputStream in, byte[] bytes) throws IOException {
            byte[] buffer = new byte[64 * 1024];
            int position = 0;
            int read;
            while ((read = in.read(buffer)) > 0) {
                if (position + read > bytes.length
                        || !Arrays.equals(buffer, 0, read, bytes, position, position + read)) {
                    return false;
                }
                position += read;
            }
            return position == bytes.length;
        }
    }
}
