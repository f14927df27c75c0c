package io.warden.agent.core.service;

import java.net.URI;
import java.util.Map;

/**
 * Where the policy service is and how the agent proves who it is: {@code WARDEN_SERVICE_URL},
 * {@code WARDEN_SERVICE_TOKEN} (a reporter token) and {@code WARDEN_POLICY_PUBLIC_KEY} (base64 of the X.509-encoded
 * Ed25519 key the service signs policies with). Without a URL the agent works alone.
 */
public final class ServiceConfig {

    static final String URL_VARIABLE = "WARDEN_SERVICE_URL";
    static final String TOKEN_VARIABLE = "WARDEN_SERVICE_TOKEN";
    static final String PUBLIC_KEY_VARIABLE = "WARDEN_POLICY_PUBLIC_KEY";

    final URI baseUrl;
    final String token;
    final String publicKey;

    private ServiceConfig(URI baseUrl, String token, String publicKey) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.publicKey = publicKey;
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
        return new ServiceConfig(base, environment.get(TOKEN_VARIABLE), environment.get(PUBLIC_KEY_VARIABLE));
    }

    URI resolve(String path) {
        return baseUrl.resolve(path);
    }
}
