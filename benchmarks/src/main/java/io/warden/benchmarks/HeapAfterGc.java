package io.warden.benchmarks;

/** Prints the heap in use after garbage collection, in KB: run with and without an agent to see what it holds. */
public final class HeapAfterGc {

    private static final int ROUNDS = 5;

    private HeapAfterGc() {}

    public static void main(String[] arguments) throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < ROUNDS; i++) {
            System.gc();
            Thread.sleep(50);
            Runtime runtime = Runtime.getRuntime();
            least = Math.min(least, runtime.totalMemory() - runtime.freeMemory());
        }
        System.out.println("heap in use after GC: " + least / 1024 + " KB");
    }
}
