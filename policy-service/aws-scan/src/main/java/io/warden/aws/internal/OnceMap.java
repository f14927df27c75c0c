package io.warden.aws.internal;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Computes each key's value once, also when several threads ask for it at the same time (the others wait for the
 * first); a failure is not kept, so a later request tries again.
 */
public final class OnceMap<T> {
    private final Map<String, CompletableFuture<T>> values = new ConcurrentHashMap<>();

    public T get(String key, Supplier<T> compute) {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> known = values.putIfAbsent(key, mine);
        if (known != null) {
            try {
                return known.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            T value = compute.get();
            mine.complete(value);
            return value;
        } catch (RuntimeException | Error e) {
            values.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }
}
