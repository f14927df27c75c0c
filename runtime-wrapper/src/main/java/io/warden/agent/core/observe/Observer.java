package io.warden.agent.core.observe;

import io.warden.agent.core.report.CallerFinder;
import io.warden.policy.Mode;
import io.warden.policy.observe.Observation;
import io.warden.policy.observe.ObservationJson;
import io.warden.policy.observe.ObservedItem;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the function did, as distinct items (docs/agent.md#observation): the enforcer hands it every operation that went
 * ahead, and the AWS SDK's own pipeline every call. An operation already seen costs a map lookup; a new one is kept
 * (with its caller, found once) until the next observation line takes it. Memory is bounded: at most {@link #MAX_ITEMS}
 * distinct items per JVM; operations beyond them are counted as {@code dropped}, not kept.
 *
 * <p>Nothing here runs the function's code or does I/O: it may be called from inside any check.
 */
public final class Observer {
    /** Distinct items kept per JVM. */
    public static final int MAX_ITEMS = 4096;
    /** Longest text an item may hold (a path, a name, an argument): longer ones are dropped, not cut. */
    static final int MAX_FIELD_CHARS = 4096;
    /** Longest observation line written: what does not fit waits for the next line (CloudWatch keeps 256 KB). */
    static final int MAX_LINE_CHARS = 200_000;

    private final String function;
    private final String region;
    private final Mode mode;
    private final String tmpDir;
    private final ConcurrentHashMap<Key, Seen> seen = new ConcurrentHashMap<>(256);
    /** New items not yet written, in the order first seen; guarded by itself (touched only by new items and lines). */
    private final ArrayDeque<Seen> unwritten = new ArrayDeque<>();
    /** Plain atomics: classes the JVM has loaded anyway, so making an observer costs start-up nothing to load. */
    private final AtomicLong dropped = new AtomicLong();

    public Observer(String function, String region, Mode mode, String tmpDir) {
        this.function = function;
        this.region = region;
        this.mode = mode;
        this.tmpDir = tmpDir;
    }

    /** An item and how often it was seen before it was written. */
    private static final class Seen {
        final ObservedItem item;
        final AtomicLong count = new AtomicLong(1);
        volatile boolean written;

        Seen(ObservedItem item) {
            this.item = item;
        }
    }

    /** What makes an item distinct; strings compared by value (their hashes are cached by String). */
    private static final class Key {
        final String kind;
        final String a;
        final String b;
        final String c;
        final int n;
        final int hash;

        Key(String kind, String a, String b, String c, int n) {
            this.kind = kind;
            this.a = a;
            this.b = b;
            this.c = c;
            this.n = n;
            int h = kind.hashCode();
            h = 31 * h + (a == null ? 0 : a.hashCode());
            h = 31 * h + (b == null ? 0 : b.hashCode());
            h = 31 * h + (c == null ? 0 : c.hashCode());
            this.hash = 31 * h + n;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Key)) {
                return false;
            }
            Key k = (Key) other;
            return hash == k.hash && n == k.n && kind.equals(k.kind) && same(a, k.a) && same(b, k.b) && same(c, k.c);
        }

        private static boolean same(String x, String y) {
            return x == null ? y == null : x.equals(y);
        }
    }

    /**
     * Counts a known item, or a new one the bound keeps out (as dropped); false when the item is new and will be kept
     * (the caller then builds it, caller frame and all, and calls {@link #add}).
     */
    private boolean known(Key key) {
        Seen known = seen.get(key);
        if (known == null) {
            if (seen.size() < MAX_ITEMS) {
                return false;
            }
            dropped.incrementAndGet();
            return true;
        }
        if (!known.written) {
            known.count.incrementAndGet();
        }
        return true;
    }

    private void add(Key key, ObservedItem item) {
        Seen fresh = new Seen(item);
        Seen raced = seen.putIfAbsent(key, fresh);
        if (raced == null) {
            synchronized (unwritten) {
                unwritten.add(fresh);
            }
        } else if (!raced.written) {
            raced.count.incrementAndGet();
        }
    }

    private boolean tooLong(String text) {
        if (text != null && text.length() > MAX_FIELD_CHARS) {
            dropped.incrementAndGet();
            return true;
        }
        return false;
    }

    /**
     * A network operation that went ahead. A target with a host name is one item per name and port (the address is the
     * first one seen: a name's addresses rotate); without one, per address. An accepted peer is one item per address.
     *
     * @param operation connect, send, listen or accept
     * @param host the name the address was resolved from in this JVM, or null
     * @param address the address, or null for a server listening on every address
     */
    public void network(String operation, String host, InetAddress address, int port) {
        if (operation.equals("accept")) {
            port = 0; // a peer's own port is ephemeral
        }
        String addressText = host != null && address != null ? null : address == null ? "*" : address.getHostAddress();
        Key key = new Key(ObservedItem.Network.KIND, operation, host, addressText, port);
        if (known(key) || tooLong(host)) {
            return;
        }
        String shown = addressText != null ? addressText : address.getHostAddress();
        add(key, new ObservedItem.Network(operation, host, shown, port, 1, CallerFinder.callerOutsideSdk()));
    }

    /** A name resolved (or the reverse lookup name of an address). */
    public void dns(String name) {
        Key key = new Key(ObservedItem.Dns.KIND, name, null, null, 0);
        if (known(key) || tooLong(name)) {
            return;
        }
        add(key, new ObservedItem.Dns(name, 1, CallerFinder.callerOutsideSdk()));
    }

    /** A file operation that went ahead, on the absolute path judged; collapsed as {@link Generalize} says. */
    public void file(String operation, String path) {
        String observed = Generalize.filePath(path, tmpDir);
        Key key = new Key(ObservedItem.File.KIND, operation, observed, null, 0);
        if (known(key) || tooLong(observed)) {
            return;
        }
        add(key, new ObservedItem.File(operation, observed, 1, CallerFinder.callerOutsideSdk()));
    }

    /**
     * A process started.
     *
     * @param program the program as the JDK runs it (its located path, else the command's first word)
     * @param command the JDK's own copy of the command line
     */
    public void process(String program, String[] command) {
        String args =
                String.join("\u0000", Arrays.asList(command).subList(Math.min(1, command.length), command.length));
        Key key = new Key(ObservedItem.Process.KIND, program, args, null, command.length);
        if (known(key) || tooLong(program) || tooLong(args)) {
            return;
        }
        List<String> arguments = Arrays.asList(command).subList(Math.min(1, command.length), command.length);
        add(key, new ObservedItem.Process(program, arguments, 1, CallerFinder.callerOutsideSdk()));
    }

    /** A native library loaded, by its path (generated segments collapsed: extracted copies have random names). */
    public void nativeLibrary(String path) {
        String observed = Generalize.segments(path);
        Key key = new Key(ObservedItem.Native.KIND, observed, null, null, 0);
        if (known(key) || tooLong(observed)) {
            return;
        }
        add(key, new ObservedItem.Native(observed, 1, CallerFinder.callerOutsideSdk()));
    }

    public void jndi(String name) {
        Key key = new Key(ObservedItem.Jndi.KIND, name, null, null, 0);
        if (known(key) || tooLong(name)) {
            return;
        }
        add(key, new ObservedItem.Jndi(name, 1, CallerFinder.callerOutsideSdk()));
    }

    public void deserialization(String className) {
        Key key = new Key(ObservedItem.Deserialization.KIND, className, null, null, 0);
        if (known(key) || tooLong(className)) {
            return;
        }
        add(key, new ObservedItem.Deserialization(className, 1, CallerFinder.callerOutsideSdk()));
    }

    /** An AWS SDK call, as {@link AwsCalls} read it from the SDK's own objects. */
    public void aws(String service, String operation, String callRegion, Map<String, String> resources, String error) {
        StringBuilder resourceKey = new StringBuilder();
        for (Map.Entry<String, String> e : resources.entrySet()) {
            if (tooLong(e.getValue())) {
                return;
            }
            resourceKey.append(e.getKey()).append('\u0000').append(e.getValue()).append('\u0000');
        }
        Key key = new Key(ObservedItem.Aws.KIND, service + '\u0000' + operation, callRegion, resourceKey.toString(), 0);
        Key failed = error == null ? key : new Key(ObservedItem.Aws.KIND, key.a + '\u0000' + error, key.b, key.c, 1);
        if (known(failed)) {
            return;
        }
        add(
                failed,
                new ObservedItem.Aws(
                        service, operation, callRegion, resources, error, 1, CallerFinder.callerOutsideSdk()));
    }

    /**
     * The observation line for what was seen since the previous one (at most {@link #MAX_LINE_CHARS} once written; the
     * rest waits for the next), without its id, which the reporter gives it as it writes it; or null when nothing new was
     * seen.
     */
    public Observation take(String requestId, String functionVersion, String account) {
        long droppedNow = dropped.getAndSet(0);
        List<ObservedItem> items = new ArrayList<>();
        synchronized (unwritten) {
            int chars = 512;
            for (Seen next; (next = unwritten.peek()) != null; ) {
                String json = ObservationJson.toJson(next.item);
                if (chars + json.length() > MAX_LINE_CHARS && !items.isEmpty()) {
                    break;
                }
                unwritten.poll();
                next.written = true;
                chars += json.length() + 1;
                items.add(next.item.withCount(next.count.get()));
            }
        }
        if (items.isEmpty() && droppedNow == 0) {
            return null;
        }
        return new Observation(
                null, function, functionVersion, account, region, requestId, Instant.now(), mode, droppedNow, items);
    }

    /** Distinct items kept so far. */
    public int size() {
        return seen.size();
    }
}
