import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * Build step (run by Maven with the JDK's source launcher, after shading): moves the agent's classes and the gate's
 * class files out of the jar's class path into one uncompressed entry, {@value #CLASSES}, that the agent's own class
 * loader reads with a single read at start-up. Reading a hundred classes one jar entry at a time through the class path
 * costs more than the rest of the agent's start-up, and the function's class path then sees none of the agent's
 * classes. Byte Buddy, which only wraps the function's handler once start-up is over, goes into a second entry,
 * {@value #BYTE_BUDDY_CLASSES}, read when its first class is needed, so the agent holds its bytes only where it uses it.
 * Left as jar entries: the manifest, the launcher classes in {@code io/warden/agent/} itself, and resources.
 *
 * <p>Format: the number of entries (int); per entry the length of its bytes and of its path (two ints); the entries'
 * paths (ASCII); then the entries' bytes, all in the same order.
 *
 * <p>Usage: {@code java AgentJarPacker.java <shaded agent jar>} (rewritten in place).
 */
public final class AgentJarPacker {

    static final String CLASSES = "io/warden/agent/classes.bin";
    /** Byte Buddy (its ASM wraps the function's handler) in an entry of its own, read only when first needed. */
    static final String BYTE_BUDDY_CLASSES = "io/warden/agent/bytebuddy.bin";

    private static final String BYTE_BUDDY_PACKAGE = "io/warden/agent/shaded/bytebuddy/";
    private static final List<String> PACKED =
            List.of("io/warden/agent/core/", "io/warden/agent/shaded/", "META-INF/warden/");

    public static void main(String[] args) throws IOException {
        Path jarPath = Path.of(args[0]);
        Path packed = jarPath.resolveSibling(jarPath.getFileName() + ".packing");
        Map<String, byte[]> classes = new LinkedHashMap<>();
        Map<String, byte[]> byteBuddy = new LinkedHashMap<>();
        try (JarFile jar = new JarFile(jarPath.toFile(), false);
                JarOutputStream out = new JarOutputStream(Files.newOutputStream(packed))) {
            // Every entry keeps the time the shade plugin gave the manifest (project.build.outputTimestamp), so the
            // packed jar is as reproducible as the shaded one.
            long time = jar.getJarEntry(JarFile.MANIFEST_NAME).getTime();
            JarEntry manifest = new JarEntry(JarFile.MANIFEST_NAME);
            manifest.setTime(time);
            out.putNextEntry(manifest);
            jar.getManifest().write(out);
            out.closeEntry();
            List<JarEntry> kept = new ArrayList<>();
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || name.equals(JarFile.MANIFEST_NAME) || name.equals("META-INF/")) {
                    continue;
                }
                if (name.startsWith(BYTE_BUDDY_PACKAGE)) {
                    byteBuddy.put(name, read(jar, entry));
                } else if (PACKED.stream().anyMatch(name::startsWith)) {
                    classes.put(name, read(jar, entry));
                } else {
                    kept.add(entry);
                }
            }
            if (classes.isEmpty()) {
                throw new IOException(jarPath + " has nothing to pack; already packed?");
            }
            for (JarEntry entry : kept) {
                JarEntry copy = new JarEntry(entry.getName());
                copy.setTime(time);
                out.putNextEntry(copy);
                out.write(read(jar, entry));
                out.closeEntry();
            }
            writeStored(out, CLASSES, blob(classes), time);
            if (!byteBuddy.isEmpty()) {
                writeStored(out, BYTE_BUDDY_CLASSES, blob(byteBuddy), time);
            }
        }
        Files.move(packed, jarPath, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("AgentJarPacker: " + classes.size() + " entries packed into " + CLASSES + " and "
                + byteBuddy.size() + " into " + BYTE_BUDDY_CLASSES + " of " + jarPath);
    }

    private static void writeStored(JarOutputStream out, String name, byte[] blob, long time) throws IOException {
        ZipEntry stored = new ZipEntry(name);
        stored.setTime(time);
        stored.setMethod(ZipEntry.STORED);
        stored.setSize(blob.length);
        CRC32 crc = new CRC32();
        crc.update(blob);
        stored.setCrc(crc.getValue());
        out.putNextEntry(stored);
        out.write(blob);
        out.closeEntry();
    }

    private static byte[] blob(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(entries.size());
        ByteArrayOutputStream paths = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            if (!entry.getKey().chars().allMatch(c -> c > ' ' && c < 127)) {
                throw new IOException("not a plain ASCII path: " + entry.getKey());
            }
            byte[] path = entry.getKey().getBytes(StandardCharsets.US_ASCII);
            out.writeInt(entry.getValue().length);
            out.writeInt(path.length);
            paths.write(path);
        }
        out.write(paths.toByteArray());
        for (byte[] content : entries.values()) {
            out.write(content);
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] read(JarFile jar, JarEntry entry) throws IOException {
        try (InputStream in = jar.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }
}
