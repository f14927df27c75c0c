package io.warden.scanner.archive.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;

/**
 * Where an archive's central directory lies, from its end record, so its size is known before a zip library reads
 * (and keeps an object for) every record in it.
 */
public final class CentralDirectory {
    private static final int END_RECORD_SIGNATURE = 0x06054b50;
    private static final int END_RECORD_BYTES = 22;
    private static final int MAX_COMMENT_BYTES = 0xFFFF;
    private static final int OFFSET_FIELD = 16;
    private static final long ZIP64_MARKER = 0xFFFFFFFFL;

    private CentralDirectory() {}

    /**
     * The bytes from the start of the central directory to the end record: all that a reader of the directory can
     * read.
     *
     * @return -1 when there is no end record, it points outside the archive, or the archive is zip64
     */
    public static long span(SeekableByteChannel channel) throws IOException {
        // Most archives have no comment: their end record is their last bytes.
        long span = span(channel, END_RECORD_BYTES);
        return span >= 0 ? span : span(channel, END_RECORD_BYTES + MAX_COMMENT_BYTES);
    }

    private static long span(SeekableByteChannel channel, int tailBytes) throws IOException {
        long size = channel.size();
        int tail = (int) Math.min(size, tailBytes);
        ByteBuffer buffer = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
        channel.position(size - tail);
        while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
            // fill the tail
        }
        if (buffer.hasRemaining()) {
            return -1;
        }
        for (int at = tail - END_RECORD_BYTES; at >= 0; at--) {
            if (buffer.getInt(at) == END_RECORD_SIGNATURE) {
                long offset = buffer.getInt(at + OFFSET_FIELD) & 0xFFFFFFFFL;
                long endRecord = size - tail + at;
                return offset == ZIP64_MARKER || offset > endRecord ? -1 : endRecord - offset;
            }
        }
        return -1;
    }
}
