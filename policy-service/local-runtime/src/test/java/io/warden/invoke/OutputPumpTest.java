package io.warden.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("fast")
class OutputPumpTest {

    @TempDir
    Path temp;

    private final List<String> streamed = new ArrayList<>();
    private final FunctionLog log = new FunctionLog(line -> {
        synchronized (streamed) {
            streamed.add(line);
        }
    });

    @Test
    void linesAreEventsAndDrainReadsEverythingWrittenSoFar() throws Exception {
        Path file = Files.createFile(temp.resolve("stdout"));
        try (OutputPump pump = new OutputPump(file, OutputPump.Framing.LINES, log);
                OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
            out.write("first\nsecond\npart".getBytes(StandardCharsets.UTF_8));
            pump.drain();
            assertThat(log.lines()).containsExactly("first", "second");
            out.write("ial\n".getBytes(StandardCharsets.UTF_8));
            pump.drain();
            assertThat(log.lines()).containsExactly("first", "second", "partial");
            out.write("no newline at the end".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(log.lines()).containsExactly("first", "second", "partial", "no newline at the end");
        assertThat(streamed).isEqualTo(log.lines());
    }

    @Test
    void overlongLineIsSplitAtCloudWatchsEventLimit() throws Exception {
        Path file = Files.writeString(temp.resolve("stdout"), "x".repeat(OutputPump.MAX_EVENT_BYTES + 10) + "\n");
        new OutputPump(file, OutputPump.Framing.LINES, log).close();

        assertThat(log.lines()).extracting(String::length).containsExactly(OutputPump.MAX_EVENT_BYTES, 10);
    }

    @Test
    void telemetryFramesAreOneEventEachEvenAcrossLinesAndWaitUntilComplete() throws Exception {
        Path file = Files.createFile(temp.resolve("telemetry"));
        byte[] second = frame("no newline");
        try (OutputPump pump = new OutputPump(file, OutputPump.Framing.TELEMETRY_FRAMES, log);
                OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
            out.write(frame("line one\nline two\n"));
            out.write(second, 0, 20);
            pump.drain();
            assertThat(log.lines()).containsExactly("line one\nline two");
            out.write(second, 20, second.length - 20);
            pump.drain();
        }
        assertThat(log.lines()).containsExactly("line one\nline two", "no newline");
    }

    /** A frame as the runtime client writes it: type, length, timestamp (big-endian), payload. */
    private static byte[] frame(String message) {
        byte[] payload = message.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(OutputPump.FRAME_HEADER_BYTES + payload.length)
                .putInt(0xa55a0003)
                .putInt(payload.length)
                .putLong(1_700_000_000_000_000L)
                .put(payload)
                .array();
    }
}
