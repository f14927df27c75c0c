package io.warden.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Runtime API's routes, spoken to over HTTP as a runtime client would. */
@Tag("fast")
class RuntimeApiServerTest {

    private final List<String> heard = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private RuntimeApiServer api;

    @BeforeEach
    void start() throws Exception {
        api = RuntimeApiServer.start(new RuntimeApiServer.Listener() {
            @Override
            public void initDone(long nanoTime) {
                heard.add("initDone");
            }

            @Override
            public void dispatched(Invocation invocation) {
                heard.add("dispatched " + invocation.requestId);
            }

            @Override
            public void initError(String errorType, byte[] errorDocument) {
                heard.add("initError " + errorType + " " + new String(errorDocument));
            }
        });
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void nextAnswersWithTheEventItsHeadersAndAlwaysAContentType() throws Exception {
        Invocation invocation = invocation("req-1", "{\"k\":1}");
        api.submit(invocation);
        long before = System.currentTimeMillis();

        HttpResponse<String> next = get("invocation/next");

        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("{\"k\":1}");
        assertThat(next.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(next.headers().firstValue("Lambda-Runtime-Aws-Request-Id")).hasValue("req-1");
        assertThat(next.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn"))
                .hasValue("arn:aws:lambda:us-east-1:000000000000:function:f");
        assertThat(next.headers().firstValue("Lambda-Runtime-Trace-Id"))
                .hasValue("Root=1-00000000-000000000000000000000000");
        assertThat(Long.parseLong(
                        next.headers().firstValue("Lambda-Runtime-Deadline-Ms").orElseThrow()))
                .isBetween(before + 3_000, System.currentTimeMillis() + 3_000);
        assertThat(heard).containsExactly("initDone", "dispatched req-1");
    }

    @Test
    void nextWaitsUntilAnEventArrives() throws Exception {
        CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(
                HttpRequest.newBuilder(uri("invocation/next")).build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(100);
        assertThat(waiting).isNotDone();

        api.submit(invocation("late", "{}"));
        assertThat(waiting.get().headers().firstValue("Lambda-Runtime-Aws-Request-Id"))
                .hasValue("late");
    }

    @Test
    void responseAndErrorEndTheInvocationOnceAndOnlyForKnownRequests() throws Exception {
        Invocation ok = invocation("ok", "{}");
        Invocation failed = invocation("failed", "{}");
        api.submit(ok);
        api.submit(failed);
        get("invocation/next");
        get("invocation/next");

        assertThat(post("invocation/ok/response", "\"done\"", null).statusCode())
                .isEqualTo(202);
        HttpResponse<String> error =
                post("invocation/failed/error", "{\"errorMessage\":\"boom\"}", "Runtime.UserException");
        assertThat(error.statusCode()).isEqualTo(202);

        assertThat(ok.result.get().status()).isEqualTo(InvocationResult.Status.SUCCESS);
        assertThat(ok.result.get().payloadText()).isEqualTo("\"done\"");
        assertThat(failed.result.get().status()).isEqualTo(InvocationResult.Status.ERROR);
        assertThat(failed.result.get().errorType()).isEqualTo("Runtime.UserException");
        assertThat(failed.result.get().payloadText()).isEqualTo("{\"errorMessage\":\"boom\"}");

        HttpResponse<String> again = post("invocation/ok/response", "\"twice\"", null);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("InvalidRequestID");
        HttpResponse<String> unknown = post("invocation/nobody/response", "{}", null);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body())
                .isEqualTo("{\"errorMessage\":\"Unknown request id nobody\",\"errorType\":\"InvalidRequestID\"}");
    }

    @Test
    void answerForAnEventNotYetTakenIsRefused() throws Exception {
        Invocation queued = invocation("queued", "{}");
        api.submit(queued);

        assertThat(post("invocation/queued/response", "{}", null).statusCode()).isEqualTo(400);
        assertThat(queued.result).isNotDone();
    }

    @Test
    void responseLargerThanLambdasLimitFailsTheInvocation() throws Exception {
        Invocation big = invocation("big", "{}");
        api.submit(big);
        get("invocation/next");

        HttpResponse<String> response =
                post("invocation/big/response", "x".repeat(RuntimeApiServer.MAX_PAYLOAD_BYTES + 1), null);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(big.result.get().status()).isEqualTo(InvocationResult.Status.ERROR);
        assertThat(big.result.get().errorType()).isEqualTo("Function.ResponseSizeTooLarge");
    }

    @Test
    void initErrorIsHandedToTheListener() throws Exception {
        HttpResponse<String> response = post("init/error", "{\"errorMessage\":\"no\"}", "Runtime.BadFunctionCode");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(heard).containsExactly("initError Runtime.BadFunctionCode {\"errorMessage\":\"no\"}");
    }

    @Test
    void unknownRoutesAndMethodsAreRefusedWithAJsonError() throws Exception {
        HttpResponse<String> unknown = get("invocation/some/thing");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(unknown.body()).contains("No Runtime API route GET /2018-06-01/runtime/invocation/some/thing");

        assertThat(post("invocation/next", "{}", null).statusCode()).isEqualTo(405);
    }

    private static Invocation invocation(String requestId, String event) {
        return new Invocation(
                requestId,
                event.getBytes(),
                "Root=1-00000000-000000000000000000000000",
                "arn:aws:lambda:us-east-1:000000000000:function:f",
                Duration.ofSeconds(3));
    }

    private URI uri(String route) {
        return URI.create("http://" + api.address() + "/2018-06-01/runtime/" + route);
    }

    private HttpResponse<String> get(String route) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri(route))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String route, String body, String errorType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(route))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (errorType != null) {
            request.header(RuntimeApiServer.ERROR_TYPE_HEADER, errorType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
