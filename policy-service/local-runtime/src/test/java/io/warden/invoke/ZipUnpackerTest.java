package io.warden.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("fast")
class ZipUnpackerTest {

    @TempDir
    Path temp;

    @Test
    void keepsTheUnixModeRecordedInTheZip() throws Exception {
        Path zip = temp.resolve("layer.zip");
        try (var fs = java.nio.file.FileSystems.newFileSystem(
                zip, Map.of("create", "true", "enablePosixFileAttributes", "true"))) {
            Path script = fs.getPath("/bin/run");
            Files.createDirectories(script.getParent());
            Files.writeString(script, "#!/bin/sh\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(fs.getPath("/data.txt"), "data");
            Files.setPosixFilePermissions(fs.getPath("/data.txt"), PosixFilePermissions.fromString("rw-r-----"));
        }

        ZipUnpacker.unpack(zip, temp.resolve("out"), new ZipUnpacker.UnpackBudget());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("out/bin/run"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("out/data.txt"))))
                .isEqualTo("rw-r-----");
        assertThat(temp.resolve("out/data.txt")).hasContent("data");
    }

    @Test
    void entryClimbingOutOfTheTargetIsNeverWrittenThere() throws Exception {
        Path zip = zip(Map.of("../escaped.txt", "x", "inside.txt", "y"));
        Path out = temp.resolve("deep/out");

        try {
            ZipUnpacker.unpack(zip, out, new ZipUnpacker.UnpackBudget());
        } catch (InvokeException refused) {
            assertThat(refused).hasMessageContaining("escaped.txt");
        }

        assertThat(temp.resolve("deep/escaped.txt")).doesNotExist();
    }

    @Test
    void stopsAtTheSizeLimitNamingTheZip() throws Exception {
        Path zip = zip(Map.of("big.bin", "z".repeat(10_000)));

        assertThatThrownBy(() -> ZipUnpacker.unpack(zip, temp.resolve("out"), new ZipUnpacker.UnpackBudget(4_096, 10)))
                .isInstanceOf(InvokeException.class)
                .hasMessage(zip + ": the function and its layers unpack to more than 4096 bytes, Lambda's limit");
    }

    @Test
    void stopsAtTheEntryLimit() throws Exception {
        Path zip = zip(Map.of("a", "1", "b", "2", "c", "3"));

        assertThatThrownBy(() -> ZipUnpacker.unpack(zip, temp.resolve("out"), new ZipUnpacker.UnpackBudget(4_096, 2)))
                .hasMessage(zip + ": more than 2 files");
    }

    @Test
    void refusesAFileThatIsNotAZip() throws IOException {
        Path notZip = Files.writeString(temp.resolve("fn.zip"), "not a zip");

        assertThatThrownBy(() -> ZipUnpacker.unpack(notZip, temp.resolve("out"), new ZipUnpacker.UnpackBudget()))
                .isInstanceOf(InvokeException.class)
                .hasMessageStartingWith("Cannot unpack " + notZip + ": ");
    }

    private Path zip(Map<String, String> entries) throws IOException {
        Path zip = temp.resolve("test-" + entries.size() + "-" + System.nanoTime() + ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (var entry : new java.util.TreeMap<>(entries).entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return zip;
    }
}
