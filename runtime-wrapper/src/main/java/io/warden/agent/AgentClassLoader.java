package io.warden.agent;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's classes from the one entry the build packed them into (see {@code src/build/AgentJarPacker.java}):
 * one read instead of a jar lookup per class, and none of them on the function's class path. Its parent is the
 * platform class loader: the agent needs nothing from the class path but {@link AgentEntry}.
 */
final class AgentClassLoader extends ClassLoader {

    static final String CLASSES = "io/warden/agent/classes.bin";
    private static final String PACKAGE = "io.warden.agent.";
    /** The one launcher class the agent sees: the class path's copy, shared with the launcher. */
    private static final String ENTRY = AgentEntry.class.getName();

    static {
        registerAsParallelCapable();
    }

    private final byte[] packed;
    /** Entry path to its offset and length in {@link #packed}. */
    private final Map<String, int[]> entries;

    private AgentClassLoader(byte[] packed, Map<String, int[]> entries) {
        super("warden-agent", ClassLoader.getPlatformClassLoader());
        this.packed = packed;
        this.entries = entries;
    }

    static AgentClassLoader open(File agentJar) throws IOException {
        byte[] packed;
        try (JarFile jar = new JarFile(agentJar, false)) {
            JarEntry entry = jar.getJarEntry(CLASSES);
            if (entry == null) {
                throw new IOException(CLASSES + " is missing from " + agentJar);
            }
            try (InputStream in = jar.getInputStream(entry)) {
                packed = in.readAllBytes();
            }
        }
        ByteBuffer index = ByteBuffer.wrap(packed);
        int count = index.getInt();
        int[] lengths = new int[count];
        for (int i = 0; i < count; i++) {
            lengths[i] = index.getInt();
        }
        int pathBlockLength = index.getInt();
        String paths = new String(packed, index.position(), pathBlockLength, StandardCharsets.ISO_8859_1);
        Map<String, int[]> entries = new HashMap<>(count * 2);
        int offset = index.position() + pathBlockLength;
        int pathStart = 0;
        for (int i = 0; i < count; i++) {
            int pathEnd = paths.indexOf('\n', pathStart);
            entries.put(paths.substring(pathStart, pathEnd), new int[] {offset, lengths[i]});
            pathStart = pathEnd + 1;
            offset += lengths[i];
        }
        if (offset != packed.length) {
            throw new IOException(CLASSES + " in " + agentJar + " is damaged");
        }
        return new AgentClassLoader(packed, entries);
    }

    /** The agent's own classes come from here first, never from a copy elsewhere. */
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.equals(ENTRY)) {
            return AgentEntry.class;
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
        int[] entry = entries.get(name.replace('.', '/') + ".class");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        return defineClass(name, packed, entry[0], entry[1]);
    }

    /** The packed entries that are not classes the agent loads, such as the gate's class files. */
    @Override
    public InputStream getResourceAsStream(String name) {
        int[] entry = entries.get(name);
        if (entry == null) {
            return super.getResourceAsStream(name);
        }
        return new ByteArrayInputStream(packed, entry[0], entry[1]);
    }
}
