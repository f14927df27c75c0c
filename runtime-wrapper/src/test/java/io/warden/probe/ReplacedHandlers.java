package io.warden.probe;

import java.io.IOException;
import java.net.CacheRequest;
import java.net.CacheResponse;
import java.net.CookieHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ResponseCache;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URLConnection;
import java.nio.channels.SocketChannel;
import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Map;

/**
 * The JVM-wide handlers a function can replace, each of which reports when it is called and then tries a denied
 * connect from wherever it was called: run by Warden's own sending (where checks used to be off for the whole
 * thread), that connect would have gone through unseen. The function's own connections here are socket channels, which
 * call none of them.
 */
final class ReplacedHandlers {

    private ReplacedHandlers() {}

    static void install() {
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                called("ProxySelector.select " + uri);
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException failure) {
                called("ProxySelector.connectFailed " + uri);
            }
        });
        CookieHandler.setDefault(new CookieHandler() {
            @Override
            public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) {
                called("CookieHandler.get " + uri);
                return Map.of();
            }

            @Override
            public void put(URI uri, Map<String, List<String>> headers) {
                called("CookieHandler.put " + uri);
            }
        });
        ResponseCache.setDefault(new ResponseCache() {
            @Override
            public CacheResponse get(URI uri, String method, Map<String, List<String>> headers) {
                called("ResponseCache.get " + uri);
                return null;
            }

            @Override
            public CacheRequest put(URI uri, URLConnection connection) {
                called("ResponseCache.put " + uri);
                return null;
            }
        });
        Security.insertProviderAt(new EveryAlgorithm(), 1);
    }

    /** A provider put first: the JDK asks it first for every algorithm of every kind (TLS, random, digests, keys). */
    static final class EveryAlgorithm extends Provider {
        private static final long serialVersionUID = 1L;

        EveryAlgorithm() {
            super("EveryAlgorithm", "1", "asked first for everything");
        }

        @Override
        public synchronized Service getService(String type, String algorithm) {
            called("Provider.getService " + type + "." + algorithm);
            return null;
        }

        @Override
        public synchronized java.util.Set<Service> getServices() {
            called("Provider.getServices");
            return java.util.Set.of();
        }
    }

    private static void called(String what) {
        String outcome;
        try (SocketChannel channel = SocketChannel.open()) {
            channel.connect(new InetSocketAddress(
                    InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), Integer.getInteger("probe.deniedPort")));
            outcome = "connected";
        } catch (IOException refused) {
            outcome = String.valueOf(refused.getMessage());
        }
        System.out.println(
                "HANDLER-CALLED " + what + " on " + Thread.currentThread().getName() + ": " + outcome);
    }
}
