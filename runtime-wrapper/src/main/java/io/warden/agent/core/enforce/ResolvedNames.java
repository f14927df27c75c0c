package io.warden.agent.core.enforce;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which names resolved to which addresses in this JVM, as the JDK cached the answers (hosts file answers included). An
 * {@code InetAddress} carries whatever name its maker gave it ({@code InetAddress.getByAddress("allowed.example",
 * bytes)}), so a connection counts that name only when it is recorded here for that address. Bounded: at most
 * {@link #MAX_ADDRESSES} addresses with {@link #MAX_NAMES} names each; beyond that an earlier answer gives way (its
 * connections are then judged by address, as if the name had not been resolved: never more is allowed).
 */
final class ResolvedNames {

    static final int MAX_ADDRESSES = 4096;
    static final int MAX_NAMES = 8;
    private static final String LOCALHOST = "localhost";

    /** InetAddress equality is by address, whatever name it carries. */
    private final ConcurrentHashMap<InetAddress, String[]> namesByAddress = new ConcurrentHashMap<>();

    void record(String name, InetAddress address) {
        if (name == null || address == null) {
            return;
        }
        String[] known = namesByAddress.get(address);
        if (known != null && contains(known, name)) {
            return;
        }
        if (known == null && namesByAddress.size() >= MAX_ADDRESSES) {
            Iterator<InetAddress> oldest = namesByAddress.keySet().iterator();
            if (oldest.hasNext()) {
                namesByAddress.remove(oldest.next());
            }
        }
        String[] names;
        if (known == null) {
            names = new String[] {name};
        } else {
            int keep = Math.min(known.length, MAX_NAMES - 1);
            names = new String[keep + 1];
            System.arraycopy(known, known.length - keep, names, 0, keep);
            names[keep] = name;
        }
        namesByAddress.put(address, names);
    }

    void record(String name, InetAddress[] addresses) {
        if (addresses != null) {
            for (InetAddress address : addresses) {
                record(name, address);
            }
        }
    }

    /** True when {@code name} resolved to {@code address} here; the JDK's own loopback address is localhost. */
    boolean resolved(String name, InetAddress address) {
        String[] names = namesByAddress.get(address);
        if (names != null && contains(names, name)) {
            return true;
        }
        return name.equalsIgnoreCase(LOCALHOST) && address.isLoopbackAddress();
    }

    private static boolean contains(String[] names, String name) {
        for (String known : names) {
            if (known.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
