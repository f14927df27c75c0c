package io.warden.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Allowed and denied operations from many threads at once: every answer must still be right. */
final class ManyThreads {

    static final int THREADS = 32;
    static final int ROUNDS = 100;

    private ManyThreads() {}

    static String run(Path allowedDir, Path deniedDir, InetAddress loopback, int deniedPort) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                results.add(pool.submit(() -> {
                    int[] counts = new int[3];
                    for (int i = 0; i < ROUNDS; i++) {
                        if (Files.readString(allowedDir.resolve("data.txt")).equals("allowed data")) {
                            counts[0]++;
                        }
                        try {
                            Files.readString(deniedDir.resolve("data.txt"));
                        } catch (IOException blocked) {
                            counts[1]++;
                        }
                        try (Socket socket = new Socket(loopback, deniedPort)) {
                            socket.getPort();
                        } catch (IOException blocked) {
                            counts[2]++;
                        }
                    }
                    return counts;
                }));
            }
            int[] total = new int[3];
            for (Future<int[]> result : results) {
                int[] counts = result.get(60, TimeUnit.SECONDS);
                for (int i = 0; i < 3; i++) {
                    total[i] += counts[i];
                }
            }
            return "allowed " + total[0] + " denied-files " + total[1] + " denied-connects " + total[2] + " of "
                    + THREADS * ROUNDS;
        } finally {
            pool.shutdownNow();
        }
    }
}
