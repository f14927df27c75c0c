package io.warden.policy.internal;

import io.warden.policy.Decision;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connect decisions by host name, then address, then port, so that a hit allocates no key. Holds at most
 * {@link DecisionCache#MAX_ENTRIES} decisions and {@link #MAX_PORTS_PER_ADDRESS} ports per host name and address.
 */
public final class ConnectCache {
    /** Most ports cached for one host name and address; a port scan beyond it is decided uncached. */
    public static final int MAX_PORTS_PER_ADDRESS = 16;
    /** Stands for "no host name": not a valid host name itself. */
    private static final String NO_HOST = "";

    private final ConcurrentHashMap<String, ConcurrentHashMap<InetAddress, Ports>> byHost = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    /** The cached decision, or null. */
    public Decision get(String hostName, InetAddress address, int port) {
        ConcurrentHashMap<InetAddress, Ports> byAddress = byHost.get(hostName == null ? NO_HOST : hostName);
        if (byAddress == null) {
            return null;
        }
        Ports ports = byAddress.get(address);
        return ports == null ? null : ports.get(port);
    }

    /** Caches the decision while there is room. */
    public void put(String hostName, InetAddress address, int port, Decision decision) {
        if (size.incrementAndGet() > DecisionCache.MAX_ENTRIES) {
            size.decrementAndGet();
            return;
        }
        // putIfAbsent rather than computeIfAbsent: no lambda on the first connect of the function.
        String host = hostName == null ? NO_HOST : hostName;
        ConcurrentHashMap<InetAddress, Ports> byAddress = byHost.get(host);
        if (byAddress == null) {
            ConcurrentHashMap<InetAddress, Ports> created = new ConcurrentHashMap<>();
            byAddress = byHost.putIfAbsent(host, created);
            byAddress = byAddress == null ? created : byAddress;
        }
        Ports ports = byAddress.get(address);
        if (ports == null) {
            Ports created = new Ports();
            ports = byAddress.putIfAbsent(address, created);
            ports = ports == null ? created : ports;
        }
        if (!ports.add(port, decision)) {
            size.decrementAndGet();
        }
    }

    public int size() {
        return size.get();
    }

    /** A few ports and their decisions, replaced as a whole on every change so readers need no lock. */
    private static final class Ports {
        private volatile PortDecision[] entries = new PortDecision[0];

        Decision get(int port) {
            for (PortDecision entry : entries) {
                if (entry.port() == port) {
                    return entry.decision();
                }
            }
            return null;
        }

        synchronized boolean add(int port, Decision decision) {
            PortDecision[] known = entries;
            if (known.length >= MAX_PORTS_PER_ADDRESS || get(port) != null) {
                return false;
            }
            PortDecision[] extended = Arrays.copyOf(known, known.length + 1);
            extended[known.length] = new PortDecision(port, decision);
            entries = extended;
            return true;
        }
    }

    private record PortDecision(int port, Decision decision) {}
}
