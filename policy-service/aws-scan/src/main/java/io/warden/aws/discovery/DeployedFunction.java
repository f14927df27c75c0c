package io.warden.aws.discovery;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.Layer;

/**
 * A function as Lambda describes it ({@code ListFunctions}, {@code GetFunction}).
 *
 * @param functionArn the unqualified ARN
 * @param runtime the runtime id ({@code java21}), or null for a container image
 * @param role the execution role's ARN
 * @param layerArns the attached layer versions
 * @param handler the handler as Lambda names it ({@code com.example.Handler::handleRequest}), or null for an image
 */
public record DeployedFunction(
        String functionArn,
        String functionName,
        String runtime,
        String packageType,
        String codeSha256,
        String role,
        List<String> layerArns,
        Map<String, String> environment,
        String handler) {

    public DeployedFunction {
        layerArns = List.copyOf(layerArns);
        environment = Map.copyOf(environment);
    }

    public static DeployedFunction of(FunctionConfiguration c) {
        Map<String, String> env = c.environment() == null || c.environment().variables() == null
                ? Map.of()
                : c.environment().variables();
        return new DeployedFunction(
                unqualified(c.functionArn()),
                c.functionName(),
                c.runtimeAsString(),
                c.packageTypeAsString(),
                c.codeSha256(),
                c.role(),
                c.layers().stream().map(Layer::arn).toList(),
                env,
                c.handler());
    }

    /** {@code arn:aws:lambda:REGION:ACCOUNT:function:NAME}, without a version or alias qualifier. */
    static String unqualified(String arn) {
        String[] parts = arn.split(":");
        return parts.length > 7 ? String.join(":", java.util.Arrays.copyOf(parts, 7)) : arn;
    }

    public String accountId() {
        return functionArn.split(":")[4];
    }

    public String region() {
        return functionArn.split(":")[3];
    }

    /** Container images carry no zip to download: their code is not scanned. */
    public boolean isImage() {
        return "Image".equals(packageType);
    }
}
