package io.warden.invoke;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Copies one output file of the function JVM into the log, one log event at a time. The JVM writes to files rather
 * than pipes: a write to a file is complete when it returns, so everything the handler wrote before the runtime
 * posted its answer can be read at that moment ({@link #drain()}), and END never overtakes it.
 */
final class OutputPump implements AutoCloseable {

    /** How the bytes of a file divide into log events. */
    enum Framing {
        /** stdout and stderr: one event per line, as Lambda captures them. */
        LINES,
        /**
         * The runtime client's telemetry log ({@code _LAMBDA_TELEMETRY_LOG_FD}): frames of a 16-byte big-endian
         * header (type, payload length, timestamp in microseconds) and the payload, one event per frame, so a
         * {@code LambdaLogger} message is one event even when it spans lines or does not end with one.
         */
        TELEMETRY_FRAMES
    }

    /** CloudWatch's limit for one log event; a longer line is split, as it would be there. */
    static final int MAX_EVENT_BYTES = 256 * 1024;

    static final int FRAME_HEADER_BYTES = 16;
    private static final long POLL_MILLIS = 10;

    private final InputStream in;
    private final Framing framing;
    private final FunctionLog log;
    private final Thread thread;
    private byte[] pending = new byte[8192];
    private int pendingLength;
    private volatile boolean closing;

    OutputPump(Path file, Framing framing, FunctionLog log) throws IOException {
        this.in = Files.newInputStream(file);
        this.framing = framing;
        this.log = log;
        this.thread = new Thread(this::follow, "warden-function-" + file.getFileName());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void follow() {
        try {
            while (!closing) {
                drain();
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    /** Moves every complete event written to the file so far into the log. */
    synchronized void drain() {
        try {
            int read;
            byte[] buffer = new byte[8192];
            while ((read = in.read(buffer)) > 0) {
                append(buffer, read);
                emitComplete();
            }
        } catch (IOException | IllegalStateException unreadable) {
            log.add("[warden invoke] cannot read the function's " + framing + " output: " + unreadable.getMessage());
            closing = true;
        }
    }

    private void append(byte[] buffer, int length) {
        if (pendingLength + length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + length));
        }
        System.arraycopy(buffer, 0, pending, pendingLength, length);
        pendingLength += length;
    }

    private void emitComplete() {
        int start = 0;
        if (framing == Framing.LINES) {
            for (int i = 0; i < pendingLength; i++) {
                if (pending[i] == '\n' || i - start >= MAX_EVENT_BYTES) {
                    emit(start, i);
                    start = pending[i] == '\n' ? i + 1 : i;
                }
            }
        } else {
            while (pendingLength - start >= FRAME_HEADER_BYTES) {
                int length = ByteBuffer.wrap(pending, start + 4, 4).getInt();
                if (length < 0 || length > MAX_EVENT_BYTES * 4) {
                    throw new IllegalStateException("telemetry frame of " + length + " bytes");
                }
                if (pendingLength - start - FRAME_HEADER_BYTES < length) {
                    break;
                }
                int payload = start + FRAME_HEADER_BYTES;
                emit(payload, payload + Math.min(length, MAX_EVENT_BYTES));
                start = payload + length;
            }
        }
        System.arraycopy(pending, start, pending, 0, pendingLength - start);
        pendingLength -= start;
    }

    private void emit(int from, int to) {
        int end = to;
        while (framing == Framing.TELEMETRY_FRAMES && end > from && pending[end - 1] == '\n') {
            end--;
        }
        log.add(new String(pending, from, end - from, StandardCharsets.UTF_8));
    }

    /** Call once the process has ended: reads the rest, including a last line without a newline. */
    @Override
    public synchronized void close() throws IOException {
        closing = true;
        thread.interrupt();
        drain();
        if (framing == Framing.LINES && pendingLength > 0) {
            emit(0, pendingLength);
            pendingLength = 0;
        }
        in.close();
    }
}
