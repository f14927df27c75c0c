package io.warden.agent.core.service;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.spi.SelectorProvider;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Where the policy service is and how the agent proves who it is: {@code WARDEN_SERVICE_URL},
 * {@code WARDEN_SERVICE_TOKEN} (a reporter token) and {@code WARDEN_POLICY_PUBLIC_KEY} (base64 of the X.509-encoded
 * Ed25519 key, or keys separated by commas, the service signs policies with). Without a URL the agent works alone. A
 * URL must be https unless it names a loopback address.
 *
 * <p>The service's host name is resolved once, here, at start-up before the function's code runs: every connection
 * goes to that address, so nothing the function does later (a hosts file, a system property, a DNS answer) can send
 * Warden's events, or its token, anywhere else. So are the JDK parts the connections use: the socket channel provider
 * and, over https, the TLS context with its trust store ({@link ServiceHttp#jdkChannels}, {@link ServiceHttp#jdkTls});
 * when one cannot be had, every exchange fails with the reason.
 */
public final class ServiceConfig {

    static final String URL_VARIABLE = "WARDEN_SERVICE_URL";
    static final String TOKEN_VARIABLE = "WARDEN_SERVICE_TOKEN";
    static final String PUBLIC_KEY_VARIABLE = "WARDEN_POLICY_PUBLIC_KEY";

    final URI baseUrl;
    final String token;
    final String publicKey;
    final String host;
    final boolean https;
    /** The one address Warden connects to. */
    final InetSocketAddress endpoint;
    /** The JDK's provider, or null and why not. */
    final SelectorProvider channels;

    final String channelsRefused;
    /** Over https: SunJSSE's context, or null and why not. */
    final SSLContext tls;

    final String tlsRefused;

    private ServiceConfig(URI baseUrl, String token, String publicKey, String host, InetSocketAddress endpoint) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.publicKey = publicKey;
        this.host = host;
        this.https = "https".equals(baseUrl.getScheme());
        this.endpoint = endpoint;
        SelectorProvider provider = null;
        String refused = null;
        try {
            provider = ServiceHttp.jdkChannels();
        } catch (java.io.IOException notJdks) {
            refused = notJdks.getMessage();
        }
        this.channels = provider;
        this.channelsRefused = refused;
        SSLContext context = null;
        refused = "not https";
        if (https) {
            try {
                context = ServiceHttp.jdkTls();
                refused = null;
            } catch (java.io.IOException unavailable) {
                refused = unavailable.getMessage();
            }
        }
        this.tls = context;
        this.tlsRefused = refused;
    }

    /** Null when no service is configured; IllegalArgumentException naming the variable when one is malformed. */
    public static ServiceConfig from(Map<String, String> environment) {
        String url = environment.get(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            return null;
        }
        URI base = URI.create(url.trim().endsWith("/") ? url.trim() : url.trim() + "/");
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IllegalArgumentException(URL_VARIABLE + "=" + url + " is not an http or https URL");
        }
        String host = base.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException(URL_VARIABLE + "=" + url + " names no host");
        }
        int port = base.getPort() >= 0 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
        String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress address;
        try {
            address = InetAddress.getByName(name);
        } catch (UnknownHostException unknown) {
            throw new IllegalArgumentException(URL_VARIABLE + "=" + url + ": the host " + name + " does not resolve");
        }
        if (!"https".equals(base.getScheme()) && !address.isLoopbackAddress()) {
            // Over plain http the token, the events and the policy's revision would cross the network readable and
            // changeable; the signature alone would not stop an older signed policy being withheld or replayed.
            throw new IllegalArgumentException(
                    URL_VARIABLE + "=" + url + " is plain http to " + address.getHostAddress()
                            + ", which is not a loopback address: use https (plain http is for a service on this machine)");
        }
        return new ServiceConfig(
                base,
                environment.get(TOKEN_VARIABLE),
                environment.get(PUBLIC_KEY_VARIABLE),
                name,
                new InetSocketAddress(address, port));
    }

    /** The Host header: as the URL names it. */
    String hostHeader() {
        return baseUrl.getPort() >= 0 ? baseUrl.getHost() + ":" + baseUrl.getPort() : baseUrl.getHost();
    }

    /** The URL names an address, not a host name (no SNI then). */
    boolean hostIsAddress() {
        return baseUrl.getHost().startsWith("[")
                || host.equals(endpoint.getAddress().getHostAddress());
    }

    URI resolve(String path) {
        return baseUrl.resolve(path);
    }
}
