package io.warden.service.api;

import static io.warden.service.api.ApiTest.error;
import static io.warden.service.api.ServiceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.service.LocalService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web view's files and its one-time login over real HTTP against {@code warden serve}'s service. */
@Tag("fast")
class WebViewTest {

    @TempDir
    Path dataDirectory;

    LocalService service;
    ServiceClient client;

    @BeforeEach
    void start() throws IOException {
        service = LocalService.start(dataDirectory, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null);
        client = new ServiceClient(service.baseUrl());
    }

    @AfterEach
    void stop() {
        service.close();
    }

    String loginCode() {
        String url = service.newLoginUrl();
        assertThat(url).startsWith(service.baseUrl() + "/#login=");
        return url.substring(url.indexOf("#login=") + "#login=".length());
    }

    @Test
    void thePageAndItsFilesComeFromTheJarUnderAPolicyThatRunsOnlyThem() {
        HttpResponse<String> page = client.get("/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp)
                .contains(
                        "default-src 'none'",
                        "script-src 'self'",
                        "style-src 'self'",
                        "connect-src 'self'",
                        "frame-ancestors 'none'")
                .doesNotContain("unsafe");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)")
                        .matcher(page.body())
                        .find())
                .as("no inline script")
                .isFalse();
        assertThat(Pattern.compile("<style|\\sstyle=|\\son[a-z]+=")
                        .matcher(page.body())
                        .find())
                .as("no inline style or handler")
                .isFalse();
        for (String file : WebPageRoutes.FILES.keySet()) {
            HttpResponse<String> answer = client.get("/web/" + file, null);
            assertThat(answer.statusCode()).as(file).isEqualTo(200);
            assertThat(answer.body()).as(file).isNotBlank();
            assertThat(answer.headers().firstValue("Content-Security-Policy"))
                    .as(file)
                    .contains(csp);
        }
        assertThat(client.get("/web/app.js", null).headers().firstValue("Content-Type"))
                .contains("text/javascript; charset=utf-8");
        assertThat(error(client.get("/web/warden.db", null), 404)).contains("no file warden.db in the web view");
        // An encoded slash is an ambiguous path: the HTTP server refuses it before any route sees it.
        assertThat(error(client.get("/web/..%2Fwarden.db", null), 400)).containsIgnoringCase("ambiguous");
    }

    @Test
    void aLoginCodeBuysOneViewerSession() {
        String code = loginCode();
        HttpResponse<String> login = client.postJson("/v1/login", null, "{\"code\":\"" + code + "\"}");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(201);
        assertThat(json(login.body()).get("role").asText()).isEqualTo("viewer");
        String session = json(login.body()).get("token").asText();
        assertThat(client.get("/v1/violations", session).statusCode()).isEqualTo(200);
        assertThat(client.get("/v1/violations/summary", session).statusCode()).isEqualTo(200);
        assertThat(error(client.putJson("/v1/policies/orders", session, ApiTest.POLICY), 403))
                .contains("web session")
                .contains("needs an admin");
        assertThat(error(client.postJson("/v1/tokens", session, "{\"role\":\"admin\"}"), 403))
                .contains("needs an admin");

        assertThat(error(client.postJson("/v1/login", null, "{\"code\":\"" + code + "\"}"), 401))
                .contains("unknown, used or expired");
        assertThat(error(client.postJson("/v1/login", null, "{\"code\":\"" + session + "\"}"), 401))
                .as("a session token is no login code")
                .contains("unknown, used or expired");
    }

    @Test
    void badLoginRequestsAreRefusedByName() {
        assertThat(error(client.postJson("/v1/login", null, "{}"), 400)).contains("\"code\" is missing");
        assertThat(error(client.postJson("/v1/login", null, "{\"code\":\"x\",\"role\":\"admin\"}"), 400))
                .contains("unknown field \"role\"");
        assertThat(error(client.postJson("/v1/login", null, "{\"code\":"), 400)).contains("malformed JSON");
        assertThat(error(client.postJson("/v1/login", null, "{\"code\":\"" + "x".repeat(2_000) + "\"}"), 413))
                .contains("larger than the limit");
    }
}
