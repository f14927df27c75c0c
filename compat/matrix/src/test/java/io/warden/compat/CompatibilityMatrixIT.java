package io.warden.compat;

import static io.warden.invoke.LambdaFixtures.invoke;
import static io.warden.invoke.LambdaFixtures.jsonLogLines;
import static io.warden.invoke.LambdaFixtures.withBuiltLayer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.invoke.InvocationResult;
import io.warden.invoke.InvokeRun;
import io.warden.service.store.Dynalite;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compatibility matrix: real functions built from the libraries Java functions commonly use ({@code compat/}), each
 * run on the real Lambda runtime client without the layer and then under the built layer with its default policy
 * (cold start and a warm invocation). Each must answer exactly as without the layer, with no Warden error and no
 * blocked violation. The only violations allowed are alerts for the function's connections to its local stand-in for
 * AWS (dynalite), which on Lambda would be an AWS endpoint the default policy allows. Every endpoint is on loopback;
 * aws-embedded-metrics is kept off the metadata endpoint by the layer's wrapper, and without the layer by the same
 * setting made here.
 *
 * <p>Runs in the {@code compat} profile ({@code mvn -B verify -Pcompat}), which builds the functions first.
 */
@ExtendWith(Dynalite.Resolver.class)
class CompatibilityMatrixIT {

    static S3Fake s3;
    static Matrix matrix;

    static Stream<Matrix.Stack> stacks() {
        return Matrix.STACKS.stream();
    }

    @BeforeAll
    static void standIns(Dynalite dynalite) throws Exception {
        s3 = S3Fake.start();
        matrix = new Matrix(dynalite.endpoint(), dynalite.client(), s3.endpoint());
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void answersAsWithoutTheLayerWithNoViolationUnderTheDefaultPolicy(Matrix.Stack stack) {
        // What the layer's wrapper sets when the function has not: without it aws-embedded-metrics would probe the
        // instance metadata endpoint, off loopback.
        InvokeRun without = invoke(
                matrix.function(stack).env("AWS_EMF_ENVIRONMENT", "Lambda").build(), Matrix.EVENTS);
        InvokeRun with = invoke(withBuiltLayer(matrix.function(stack)).build(), Matrix.EVENTS);

        assertThat(without.results())
                .as("without the layer:\n%s", String.join("\n", without.log()))
                .hasSize(Matrix.EVENTS.length)
                .allMatch(InvocationResult::succeeded);
        assertThat(with.results())
                .as("with the layer:\n%s", String.join("\n", with.log()))
                .hasSize(Matrix.EVENTS.length)
                .allMatch(InvocationResult::succeeded);
        for (int i = 0; i < Matrix.EVENTS.length; i++) {
            assertThat(with.results().get(i).payloadText())
                    .as("answer %d", i)
                    .isEqualTo(without.results().get(i).payloadText())
                    .contains(i == 0 ? "order-42" : "order-43");
        }
        List<JsonNode> warden =
                jsonLogLines(with).stream().filter(line -> line.has("warden")).toList();
        assertThat(warden)
                .as("Warden's lines")
                .noneMatch(line -> line.get("warden").asText().equals("error"));
        assertThat(warden)
                .as("Warden started")
                .anyMatch(line -> line.get("warden").asText().equals("status")
                        && line.path("state").asText().equals("started"));
        List<JsonNode> violations = warden.stream()
                .filter(line -> line.get("warden").asText().equals("violation"))
                .toList();
        String standIn = matrix.authority(stack);
        assertThat(violations)
                .as("violations under the default policy:\n%s", String.join("\n", with.log()))
                .allSatisfy(violation -> {
                    assertThat(standIn)
                            .as("a function that reaches no stand-in through Java sockets")
                            .isNotNull();
                    assertThat(violation.get("action").asText()).isEqualTo("alerted");
                    assertThat(violation.get("category").asText()).isEqualTo("network");
                    assertThat(violation.get("target").asText()).isEqualTo(standIn);
                });
    }
}
