package io.warden.scanner.archive.internal;

import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Buffers that hold nested archives, reused from one archive to the next, their total size bounded. Reuse matters:
 * a buffer of a megabyte or more is a "humongous" object to the G1 collector, and allocating one per jar of a
 * package makes the collector, not the scan, take most of the time in a small heap.
 */
public final class BufferPool {
    /** Sizes are rounded up to this, so a buffer serves the next archives of about the same size. */
    private static final int GRANULE = 1 << 20;

    private final long capacity;
    private final List<byte[]> free = new ArrayList<>();
    private long allocated;

    /** @param capacity the bytes of all buffers together, in use or free */
    public BufferPool(long capacity) {
        this.capacity = capacity;
    }

    /**
     * A buffer of at least {@code size} bytes, or null when the pool cannot give one without waiting and
     * {@code mayWait} is false. Only a caller that holds no buffer may wait, so waiting cannot deadlock.
     */
    public synchronized byte[] take(int size, boolean mayWait) throws InterruptedIOException {
        int rounded = (int) Math.min(capacity, ((long) size + GRANULE - 1) / GRANULE * GRANULE);
        if (size > capacity) {
            return null;
        }
        while (true) {
            byte[] fitting = null;
            for (byte[] buffer : free) {
                if (buffer.length >= size && (fitting == null || buffer.length < fitting.length)) {
                    fitting = buffer;
                }
            }
            if (fitting != null) {
                free.remove(fitting);
                return fitting;
            }
            if (allocated + rounded <= capacity) {
                allocated += rounded;
                return new byte[rounded];
            }
            if (!free.isEmpty()) {
                // Too small for this archive: make room for a larger buffer.
                allocated -= free.remove(free.size() - 1).length;
                continue;
            }
            if (!mayWait) {
                return null;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a buffer");
            }
        }
    }

    /** Returns a buffer taken from this pool. */
    public synchronized void give(byte[] buffer) {
        free.add(buffer);
        notifyAll();
    }
}
