package io.warden.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import io.warden.aws.scan.ScanSettings;
import io.warden.service.lambda.ApiGatewayHandler;
import io.warden.service.lambda.ScanFunctionEnvironment;
import io.warden.service.store.dynamodb.ServiceTables;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code sam build} makes of the template: every resource built with {@code BuildMethod: makefile} has its
 * Makefile target, which builds the module it copies from; the layer's build holds the layer zip's content, and every
 * function's build holds its handler class and method, loaded the way Lambda loads them (the package's root and its
 * {@code lib/*.jar}, nothing else). The targets run here with Maven replaced by a no-op, on the artifacts this build
 * just packaged.
 */
@EnabledIfSystemProperty(named = "warden.deploy.packaged", matches = "true")
class TemplateBuildTest {

    static final long MAKE_TIMEOUT_SECONDS = 120;
    static final String WRAPPER = "warden-wrapper";
    static final String LAYER_MOUNT = "/opt/";

    static Template template;
    static Map<String, JsonNode> builtWithMake = new LinkedHashMap<>();

    @TempDir
    static Path artifacts;

    @BeforeAll
    static void build() throws Exception {
        template = Template.load();
        template.resources().properties().forEach(resource -> {
            if ("makefile"
                    .equals(resource.getValue().at("/Metadata/BuildMethod").asText())) {
                builtWithMake.put(resource.getKey(), resource.getValue());
            }
        });
        for (String logicalId : builtWithMake.keySet()) {
            String output = make("build-" + logicalId, "ARTIFACTS_DIR=" + artifacts.resolve(logicalId), "MAVEN=:");
            assertThat(output).as(logicalId).doesNotContain("Error");
        }
    }

    /** Runs make in the repository with these arguments; fails unless it succeeds in time. */
    static String make(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("make", "--no-print-directory"));
        command.addAll(List.of(arguments));
        Process make = new ProcessBuilder(command)
                .directory(Template.repository().toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(make.waitFor(MAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .as("make " + command)
                .isTrue();
        assertThat(make.exitValue()).as(command + ":\n" + output).isZero();
        return output;
    }

    static Set<String> files(Path directory) throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.filter(Files::isRegularFile)
                    .forEach(file -> files.add(directory.relativize(file).toString()));
        }
        return files;
    }

    static Set<String> zipFiles(Path zip) throws IOException {
        Set<String> files = new TreeSet<>();
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            archive.stream()
                    .filter(entry -> !entry.isDirectory())
                    .map(ZipEntry::getName)
                    .forEach(files::add);
        }
        return files;
    }

    @Test
    void everyResourceIsBuiltByMakeFromTheRepositoryRoot() {
        assertThat(builtWithMake.keySet())
                .containsExactlyInAnyOrder(
                        "WardenLayer",
                        "ApiFunction",
                        "ScheduledScanFunction",
                        "DeploymentScanFunction",
                        "LogIngestFunction",
                        "EgressDemoFunction");
        builtWithMake.forEach((logicalId, resource) -> {
            JsonNode uri = resource.at("/Properties/CodeUri").isMissingNode()
                    ? resource.at("/Properties/ContentUri")
                    : resource.at("/Properties/CodeUri");
            Path source = Template.repository().resolve(uri.asText());
            assertThat(source.resolve("Makefile"))
                    .as(logicalId + " CodeUri/ContentUri " + uri)
                    .isRegularFile();
        });
    }

    @Test
    void eachTargetBuildsTheModuleItCopiesFrom() throws Exception {
        for (String logicalId : builtWithMake.keySet()) {
            List<String> lines = make("-n", "build-" + logicalId, "ARTIFACTS_DIR=out")
                    .lines()
                    .toList();
            String maven = lines.get(0);
            assertThat(maven).as(logicalId).startsWith("mvn ").contains(" package");
            String module = maven.substring(maven.indexOf(" -pl ") + 5).split(" ")[0];
            assertThat(Template.repository().resolve(module).resolve("pom.xml"))
                    .as(logicalId)
                    .isRegularFile();
            assertThat(String.join("\n", lines.subList(1, lines.size())))
                    .as(logicalId)
                    .contains(" " + module + "/target/")
                    .contains("out");
        }
    }

    @Test
    void layerBuildHoldsTheLayerZipWithAnExecutableWrapper() throws IOException {
        Path layer = artifacts.resolve("WardenLayer");

        assertThat(files(layer))
                .isEqualTo(zipFiles(Template.repository().resolve("layer/target/warden-layer.zip")))
                .contains(WRAPPER, "warden/warden-agent.jar", "warden/policy.json");
        assertThat(layer.resolve(WRAPPER)).isExecutable();
    }

    @Test
    void exampleRunsUnderTheLayerThroughTheExecWrapper() {
        JsonNode example = template.resources().at("/EgressDemoFunction/Properties");

        assertThat(example.at("/Layers/0/Ref").asText()).isEqualTo("WardenLayer");
        String wrapper =
                example.at("/Environment/Variables/AWS_LAMBDA_EXEC_WRAPPER").asText();
        assertThat(wrapper).startsWith(LAYER_MOUNT);
        assertThat(artifacts.resolve("WardenLayer").resolve(wrapper.substring(LAYER_MOUNT.length())))
                .isExecutable();
        assertThat(template.resources().at("/WardenLayer/Properties/CompatibleRuntimes"))
                .extracting(JsonNode::asText)
                .containsExactly("java17", "java21", "java25");
        assertThat(template.resources().at("/WardenLayer/Properties/CompatibleArchitectures"))
                .extracting(JsonNode::asText)
                .containsExactly("x86_64", "arm64");
    }

    @Test
    void everyHandlerIsAClassAndMethodOfItsFunctionsPackage() throws Exception {
        Map<String, String> handlers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> function :
                template.resourcesOfType("AWS::Serverless::Function").entrySet()) {
            String handler = function.getValue().at("/Properties/Handler").asText();
            handlers.put(function.getKey(), handler);
            String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
            String methodName = handler.contains("::") ? handler.substring(handler.indexOf("::") + 2) : "handleRequest";
            try (URLClassLoader lambda = lambdaClassLoader(artifacts.resolve(function.getKey()))) {
                Class<?> type = Class.forName(className, false, lambda);
                assertThat(type.getClassLoader()).as(handler).isSameAs(lambda);
                assertThat(Modifier.isPublic(type.getModifiers()) && !Modifier.isAbstract(type.getModifiers()))
                        .as(handler + " is a public concrete class")
                        .isTrue();
                assertThat(type.getConstructor())
                        .as(handler + " has Lambda's no-argument constructor")
                        .isNotNull();
                Class<?> context = Class.forName(Context.class.getName(), false, lambda);
                List<Method> methods = Arrays.stream(type.getMethods())
                        .filter(method -> method.getName().equals(methodName) && !method.isBridge())
                        .filter(method -> method.getParameterCount() > 0
                                && method.getParameterTypes()[method.getParameterCount() - 1] == context)
                        .toList();
                assertThat(methods).as(handler + " taking a Lambda Context").hasSize(1);
                for (Class<?> parameter : methods.get(0).getParameterTypes()) {
                    // Resolves every type the event class uses (e.g. Joda-Time for ScheduledEvent).
                    assertThat(parameter.getDeclaredMethods())
                            .as(parameter.getName())
                            .isNotNull();
                }
            }
        }
        assertThat(handlers)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "ApiFunction", "io.warden.service.lambda.ApiGatewayHandler::handleRequest",
                        "ScheduledScanFunction", "io.warden.service.lambda.ScheduledScanHandler::handleRequest",
                        "DeploymentScanFunction", "io.warden.service.lambda.DeploymentEventHandler::handleRequest",
                        "LogIngestFunction", "io.warden.service.lambda.LogIngestHandler::handleRequest",
                        "EgressDemoFunction", "io.warden.examples.EgressDemo::handleRequest"));
    }

    /** Lambda's class path for a zip package: its root, then every jar in lib/. */
    static URLClassLoader lambdaClassLoader(Path packageRoot) throws IOException {
        List<URL> path = new ArrayList<>(List.of(packageRoot.toUri().toURL()));
        Path lib = packageRoot.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                for (Path jar : jars.filter(file -> file.toString().endsWith(".jar"))
                        .sorted()
                        .toList()) {
                    path.add(jar.toUri().toURL());
                }
            }
        }
        return new URLClassLoader(path.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    @Test
    void functionsSetOnlyTheVariablesTheirHandlersRead() {
        Set<String> scanVariables = Set.of(
                ScanFunctionEnvironment.SCAN_REGIONS,
                ScanFunctionEnvironment.LAYER_NAME,
                ScanFunctionEnvironment.SCAN_ACCOUNTS,
                ScanFunctionEnvironment.SCAN_ORGANIZATION,
                ScanFunctionEnvironment.SCAN_ROLE_NAME,
                ServiceTables.TABLE_PREFIX);
        Map<String, Set<String>> read = Map.of(
                "ApiFunction",
                Set.of(
                        ApiGatewayHandler.TABLE_PREFIX,
                        ApiGatewayHandler.SIGNING_KEY_SECRET,
                        ApiGatewayHandler.ADMIN_ROLE_ARNS),
                "ScheduledScanFunction",
                scanVariables,
                "DeploymentScanFunction",
                scanVariables,
                "LogIngestFunction",
                Set.of(ServiceTables.TABLE_PREFIX));
        for (Map.Entry<String, Set<String>> function : read.entrySet()) {
            Set<String> set = new TreeSet<>();
            template.resources()
                    .at("/" + function.getKey() + "/Properties/Environment/Variables")
                    .fieldNames()
                    .forEachRemaining(set::add);
            assertThat(set).as(function.getKey()).isEqualTo(function.getValue());
        }
        assertThat(template.resources()
                        .at("/WardenLayer/Properties/LayerName/Fn::Sub")
                        .asText())
                .as("the scans recognise the Warden layer by the name the template gives it")
                .isEqualTo(template.resources()
                        .at("/ScheduledScanFunction/Properties/Environment/Variables/"
                                + ScanFunctionEnvironment.LAYER_NAME + "/Fn::Sub")
                        .asText());
    }

    @Test
    void theScanFunctionsUseTheApisTablesAndTheAccountParameters() {
        JsonNode api = template.resources().at("/ApiFunction/Properties/Environment/Variables");
        for (String function : List.of("ScheduledScanFunction", "DeploymentScanFunction")) {
            JsonNode variables = template.resources().at("/" + function + "/Properties/Environment/Variables");
            assertThat(variables.get(ServiceTables.TABLE_PREFIX))
                    .as(function + " keeps its results where the API" + " reads them")
                    .isEqualTo(api.get(ApiGatewayHandler.TABLE_PREFIX));
            assertThat(variables
                            .at("/" + ScanFunctionEnvironment.SCAN_ACCOUNTS + "/Ref")
                            .asText())
                    .isEqualTo("ScanAccounts");
            assertThat(variables
                            .at("/" + ScanFunctionEnvironment.SCAN_ORGANIZATION + "/Ref")
                            .asText())
                    .isEqualTo("ScanOrganization");
            assertThat(variables
                            .at("/" + ScanFunctionEnvironment.SCAN_ROLE_NAME + "/Ref")
                            .asText())
                    .isEqualTo("ScanRoleName");
            assertThat(template.resources()
                            .at("/" + function + "/Properties/Policies")
                            .findValuesAsText("Ref"))
                    .contains("ScanReadPolicy", "ScanResultsPolicy", "ScanAssumeRolePolicy");
        }
        assertThat(template.resources()
                        .at("/ScanAssumeRolePolicy/Properties/PolicyDocument/Statement/0/Resource/Fn::Sub")
                        .asText())
                .as("the role the scans assume is the parameter's")
                .isEqualTo("arn:${AWS::Partition}:iam::*:role/${ScanRoleName}");
        assertThat(template.root.at("/Parameters/ScanRoleName/Default").asText())
                .isEqualTo(ScanSettings.DEFAULT_ROLE_NAME);
        assertThat(template.resources()
                        .at("/ScheduledScanFunction/Properties/Policies/3/Fn::If/1/Ref")
                        .asText())
                .as("only the scheduled scan lists the organization's accounts, and only when told to")
                .isEqualTo("ScanOrganizationPolicy");
        assertThat(template.resources().at("/ScanOrganizationPolicy/Condition").asText())
                .isEqualTo("ScansOrganization");
        assertThat(template.resources()
                        .at("/DeploymentScanFunction/Properties/Policies")
                        .findValuesAsText("Ref"))
                .doesNotContain("ScanOrganizationPolicy");
    }
}
