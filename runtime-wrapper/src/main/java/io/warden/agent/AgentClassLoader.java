package io.warden.agent;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's classes from the one entry the build packed them into (see {@code src/build/AgentJarPacker.java}):
 * one read instead of a jar lookup per class, and none of them on the function's class path. Its parent is the
 * platform class loader: the agent needs nothing from the class path but {@link AgentEntry}.
 */
final class AgentClassLoader extends ClassLoader {

    static final String CLASSES = "io/warden/agent/classes.bin";
    /** Byte Buddy, packed apart and read only when its first class is needed: start-up does not use it. */
    static final String BYTE_BUDDY_CLASSES = "io/warden/agent/bytebuddy.bin";

    private static final String BYTE_BUDDY_PACKAGE = "io.warden.agent.shaded.bytebuddy.";
    private static final String PACKAGE = "io.warden.agent.";
    /** The one launcher class the agent sees: the class path's copy, shared with the launcher. */
    private static final String ENTRY = AgentEntry.class.getName();

    private static final String STARTUP_TASK = StartupTask.class.getName();

    static {
        registerAsParallelCapable();
    }

    /** Entry path to its bytes; a class's bytes are dropped once it is defined, so the loader holds only the rest. */
    private final Map<String, byte[]> entries;

    /** Empty until {@link #readPackedClasses}: its module can be given access while the classes are read. */
    AgentClassLoader() {
        super("warden-agent", ClassLoader.getPlatformClassLoader());
        this.entries = new ConcurrentHashMap<>(512);
    }

    /** The jar the packed classes come from; set by {@link #readPackedClasses}. */
    private volatile File agentJar;

    private boolean byteBuddyRead;

    void readPackedClasses(File agentJar) throws IOException {
        this.agentJar = agentJar;
        readPacked(agentJar, CLASSES);
    }

    private void readPacked(File agentJar, String blob) throws IOException {
        byte[] packed;
        try (JarFile jar = new JarFile(agentJar, false)) {
            JarEntry entry = jar.getJarEntry(blob);
            if (entry == null) {
                throw new IOException(blob + " is missing from " + agentJar);
            }
            try (InputStream in = jar.getInputStream(entry)) {
                packed = in.readAllBytes();
            }
        }
        ByteBuffer index = ByteBuffer.wrap(packed);
        int count = index.getInt();
        int[] lengths = new int[count];
        int[] pathLengths = new int[count];
        int pathBlockLength = 0;
        for (int i = 0; i < count; i++) {
            lengths[i] = index.getInt();
            pathLengths[i] = index.getInt();
            pathBlockLength += pathLengths[i];
        }
        int pathStart = index.position();
        int offset = pathStart + pathBlockLength;
        for (int i = 0; i < count; i++) {
            String path = new String(packed, pathStart, pathLengths[i], StandardCharsets.ISO_8859_1);
            entries.put(path, Arrays.copyOfRange(packed, offset, offset + lengths[i]));
            pathStart += pathLengths[i];
            offset += lengths[i];
        }
        if (offset != packed.length) {
            throw new IOException(blob + " in " + agentJar + " is damaged");
        }
    }

    /** The agent's own classes come from here first, never from a copy elsewhere. */
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.equals(ENTRY)) {
            return AgentEntry.class;
        }
        if (name.equals(STARTUP_TASK)) {
            return StartupTask.class;
        }
        if (!name.startsWith(PACKAGE)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = findClass(name);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String path = name.replace('.', '/') + ".class";
        byte[] classFile = entries.remove(path);
        if (classFile == null && name.startsWith(BYTE_BUDDY_PACKAGE)) {
            readByteBuddyOnce();
            classFile = entries.remove(path);
        }
        if (classFile == null) {
            throw new ClassNotFoundException(name);
        }
        return defineClass(name, classFile, 0, classFile.length);
    }

    /** Reads Byte Buddy's entry the first time a class of it is asked for. */
    private synchronized void readByteBuddyOnce() throws ClassNotFoundException {
        if (byteBuddyRead) {
            return;
        }
        byteBuddyRead = true;
        try {
            readPacked(agentJar, BYTE_BUDDY_CLASSES);
        } catch (IOException unreadable) {
            throw new ClassNotFoundException(BYTE_BUDDY_CLASSES + " could not be read", unreadable);
        }
    }

    /** A packed class file the agent does not load itself (the launcher's gate definer); handed over once. */
    byte[] takeEntry(String path) {
        return entries.remove(path);
    }

    /** The packed entries that are not classes the agent loads, such as the gate's class files. */
    @Override
    public InputStream getResourceAsStream(String name) {
        byte[] entry = entries.get(name);
        return entry == null ? super.getResourceAsStream(name) : new ByteArrayInputStream(entry);
    }
}
