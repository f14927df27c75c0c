package io.warden.aws.discovery;

import io.warden.aws.iam.PolicyDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetLayerVersionByArnResponse;
import software.amazon.awssdk.services.lambda.model.LayerVersionsListItem;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/** What the scan asks Lambda about, in one account and region. */
public final class LambdaReader {
    private final LambdaClient lambda;

    public LambdaReader(LambdaClient lambda) {
        this.lambda = lambda;
    }

    /** A layer version's content: its hash and where to download it. */
    public record LayerContent(String layerVersionArn, String codeSha256, String location) {}

    /** Every function ({@code $LATEST}), following {@code ListFunctions}' pages. */
    public List<DeployedFunction> listFunctions() {
        List<DeployedFunction> all = new ArrayList<>();
        for (FunctionConfiguration c : lambda.listFunctionsPaginator(r -> {}).functions()) {
            all.add(DeployedFunction.of(c));
        }
        return all;
    }

    /** One function by name or ARN, or empty when it does not exist (any more). */
    public Optional<DeployedFunction> function(String nameOrArn) {
        try {
            return Optional.of(DeployedFunction.of(
                    lambda.getFunction(r -> r.functionName(nameOrArn)).configuration()));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The presigned URL of the function's deployment package. */
    public String codeLocation(String functionArn) {
        return lambda.getFunction(r -> r.functionName(functionArn)).code().location();
    }

    public LayerContent layer(String layerVersionArn) {
        GetLayerVersionByArnResponse r = lambda.getLayerVersionByArn(b -> b.arn(layerVersionArn));
        return new LayerContent(
                r.layerVersionArn(), r.content().codeSha256(), r.content().location());
    }

    /** The newest version number of a layer ({@code arn:...:layer:NAME}), or 0 when it has none this reader sees. */
    public long latestLayerVersion(String layerArn) {
        try {
            List<LayerVersionsListItem> versions = lambda.listLayerVersions(
                            r -> r.layerName(layerArn).maxItems(1))
                    .layerVersions();
            return versions.isEmpty() ? 0 : versions.get(0).version();
        } catch (ResourceNotFoundException e) {
            return 0;
        }
    }

    /** The function URL's {@code AuthType}, or empty when the function has no URL. */
    public Optional<String> functionUrlAuthType(String functionArn) {
        try {
            return Optional.of(lambda.getFunctionUrlConfig(r -> r.functionName(functionArn))
                    .authTypeAsString());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The function's resource-based policy, or empty when it has none. */
    public Optional<PolicyDocument> resourcePolicy(String functionArn) {
        try {
            return Optional.of(PolicyDocument.parse(
                    lambda.getPolicy(r -> r.functionName(functionArn)).policy()));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }
}
