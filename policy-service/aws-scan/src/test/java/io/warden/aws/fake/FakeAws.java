package io.warden.aws.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A local stand-in for the Lambda, IAM, STS, Organizations and Secrets Manager APIs over real HTTP on loopback, speaking their wire
 * protocols as the AWS SDK v2 clients send and parse them: Lambda's REST-JSON (errors in {@code X-Amzn-ErrorType}),
 * IAM's and STS's query protocol (form-encoded {@code Action}, XML answers in their namespaces), Organizations' JSON 1.1
 * ({@code X-Amz-Target}) and Secrets Manager's {@code GetSecretValue} (JSON 1.1). The service and region come from the SigV4 credential scope, the account from the access
 * key (assumed-role keys name their account). Code is served from presigned-style URLs under {@code /code/}, and every
 * download is counted. Faults can be injected per operation.
 */
public final class FakeAws implements AutoCloseable {
    public static final String HOME_ACCESS_KEY = "AKIAFAKEHOMEACCOUNT1";
    static final String IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
    static final String STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/]+)/\\d{8}/([^/]+)/([^/]+)/aws4_request");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIST_PAGE_SIZE = 50;
    private static final int ORGANIZATION_PAGE_SIZE = 2;

    private final HttpServer server;
    private final ExecutorService executor;
    private final FakeAccount home;
    private final Map<String, FakeAccount> accounts = new ConcurrentHashMap<>();
    /** access key id -> account id */
    private final Map<String, String> keys = new ConcurrentHashMap<>();

    private final Map<String, byte[]> code = new ConcurrentHashMap<>();
    /** hex of the SHA-256 (as in the download URL) -> CodeSha256 */
    private final Map<String, String> shaByHex = new ConcurrentHashMap<>();

    private final Map<String, String> managedPolicies = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> downloads = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<String> organization = new ArrayList<>();

    /** An answer given instead of the real one, {@code times} times, to calls of an operation matching a filter. */
    private static final class Fault {
        final String operation;
        final Predicate<String> target;
        final AtomicInteger remaining;
        final int status;
        final String code;

        Fault(String operation, Predicate<String> target, int times, int status, String code) {
            this.operation = operation;
            this.target = target;
            this.remaining = new AtomicInteger(times);
            this.status = status;
            this.code = code;
        }
    }

    static {
        // Answers go out at once instead of waiting for a delayed acknowledgement of the previous segment.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private FakeAws(String homeAccountId, int threads) throws IOException {
        home = new FakeAccount(this, homeAccountId);
        accounts.put(homeAccountId, home);
        keys.put(HOME_ACCESS_KEY, homeAccountId);
        managedPolicy(
                "arn:aws:iam::aws:policy/AdministratorAccess",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}");
        managedPolicy(
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogGroup\","
                        + "\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"*\"}]}");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        executor = Executors.newFixedThreadPool(threads);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeAws start(String homeAccountId) throws IOException {
        return new FakeAws(homeAccountId, 8);
    }

    public static FakeAws start(String homeAccountId, int threads) throws IOException {
        return new FakeAws(homeAccountId, threads);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(
                AwsBasicCredentials.create(HOME_ACCESS_KEY, "fakeSecretKeyForTheHomeAccount0000000000"));
    }

    public FakeAccount home() {
        return home;
    }

    /** Another account; it is in the organization of the home account. */
    public FakeAccount account(String id) {
        FakeAccount a = accounts.computeIfAbsent(id, i -> new FakeAccount(this, i));
        synchronized (organization) {
            if (!organization.contains(id)) {
                organization.add(id);
            }
        }
        return a;
    }

    /** Stores a code package; returns its CodeSha256 (base64 of its SHA-256, as Lambda states it). */
    public String code(byte[] zip) {
        String sha = Base64.getEncoder().encodeToString(sha256(zip));
        code.put(sha, zip);
        shaByHex.put(HexFormat.of().formatHex(sha256(zip)), sha);
        return sha;
    }

    public void managedPolicy(String arn, String document) {
        managedPolicies.put(arn, document);
    }

    /** The next {@code times} calls of {@code operation} whose target (function name, role name, ...) matches fail. */
    public void fail(String operation, Predicate<String> target, int times, int status, String errorCode) {
        faults.add(new Fault(operation, target, times, status, errorCode));
    }

    public void fail(String operation, int times, int status, String errorCode) {
        fail(operation, t -> true, times, status, errorCode);
    }

    /** How often the package with this CodeSha256 was downloaded. */
    public int downloads(String codeSha256) {
        AtomicInteger n = downloads.get(codeSha256);
        return n == null ? 0 : n.get();
    }

    public int totalDownloads() {
        return downloads.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Distinct packages downloaded at least once. */
    public int distinctDownloads() {
        return downloads.size();
    }

    /** Answers given to an operation, errors included. */
    public int calls(String operation) {
        AtomicInteger n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- dispatch ----

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith("/code/")) {
                download(ex, path.substring("/code/".length()));
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            Matcher m = auth == null ? null : CREDENTIAL.matcher(auth);
            if (m == null || !m.find()) {
                send(ex, 403, "application/json", "{\"message\":\"Missing Authentication Token\"}", null);
                return;
            }
            String accountId = keys.get(m.group(1));
            if (accountId == null) {
                send(
                        ex,
                        403,
                        "application/json",
                        "{\"message\":\"The security token included in the request is invalid.\"}",
                        "UnrecognizedClientException");
                return;
            }
            FakeAccount account = accounts.get(accountId);
            String region = m.group(2);
            byte[] body = ex.getRequestBody().readAllBytes();
            switch (m.group(3)) {
                case "lambda" -> lambda(ex, account, region);
                case "iam" -> query(ex, account, form(body), IAM_NS);
                case "sts" -> query(ex, account, form(body), STS_NS);
                case "organizations" ->
                    organizations(ex, account, ex.getRequestHeaders().getFirst("X-Amz-Target"), body);
                case "secretsmanager" ->
                    secretsManager(ex, account, region, ex.getRequestHeaders().getFirst("X-Amz-Target"), body);
                default -> send(ex, 400, "application/json", "{\"message\":\"unknown service\"}", "UnknownService");
            }
        } catch (RuntimeException e) {
            send(
                    ex,
                    500,
                    "application/json",
                    "{\"message\":" + JSON.writeValueAsString(String.valueOf(e)) + "}",
                    "ServiceException");
        }
    }

    /** Counts the call, and returns the fault to answer with, if any. */
    private Fault count(String operation, String target) {
        calls.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
        for (Fault f : faults) {
            if (f.operation.equals(operation) && f.target.test(target) && f.remaining.getAndDecrement() > 0) {
                return f;
            }
        }
        return null;
    }

    private void download(HttpExchange ex, String rest) throws IOException {
        String hex = rest.contains("?") ? rest.substring(0, rest.indexOf('?')) : rest;
        String query = ex.getRequestURI().getRawQuery();
        String sha = shaByHex.get(hex);
        byte[] zip = sha == null ? null : code.get(sha);
        if (zip == null || query == null || !query.contains("X-Amz-Signature=")) {
            send(ex, 403, "application/xml", "<Error><Code>AccessDenied</Code></Error>", null);
            return;
        }
        downloads.computeIfAbsent(sha, s -> new AtomicInteger()).incrementAndGet();
        ex.getResponseHeaders().set("Content-Type", "application/zip");
        ex.sendResponseHeaders(200, zip.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(zip);
        }
    }

    private String location(String sha) {
        return endpoint() + "/code/"
                + HexFormat.of().formatHex(Base64.getDecoder().decode(sha))
                + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=600&X-Amz-Signature=" + UUID.randomUUID();
    }

    // ---- Lambda (REST-JSON) ----

    private static final Pattern FUNCTION = Pattern.compile("/2015-03-31/functions/([^/]+)(/policy)?/?");
    private static final Pattern FUNCTION_URL = Pattern.compile("/2021-10-31/functions/([^/]+)/url/?");
    private static final Pattern LAYER_VERSIONS = Pattern.compile("/2018-10-31/layers/([^/]+)/versions/?");

    private void lambda(HttpExchange ex, FakeAccount account, String region) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        Map<String, String> query = form(
                ex.getRequestURI().getRawQuery() == null
                        ? new byte[0]
                        : ex.getRequestURI().getRawQuery().getBytes(StandardCharsets.UTF_8));
        Map<String, FakeFunction> functions =
                account.functions.getOrDefault(region, new java.util.concurrent.ConcurrentSkipListMap<>());
        Matcher m;
        if (path.matches("/2015-03-31/functions/?")) {
            if (lambdaFault(ex, count("ListFunctions", region))) {
                return;
            }
            ObjectNode out = JSON.createObjectNode();
            ArrayNode list = out.putArray("Functions");
            String marker = query.get("Marker");
            int max = query.containsKey("MaxItems") ? Integer.parseInt(query.get("MaxItems")) : LIST_PAGE_SIZE;
            List<String> names = new ArrayList<>(functions.keySet());
            int start = marker == null ? 0 : names.indexOf(marker);
            if (start < 0) {
                lambdaError(ex, 400, "InvalidParameterValueException", "invalid marker " + marker);
                return;
            }
            for (int i = start; i < Math.min(names.size(), start + max); i++) {
                list.add(configuration(account, region, functions.get(names.get(i))));
            }
            if (start + max < names.size()) {
                out.put("NextMarker", names.get(start + max));
            }
            sendJson(ex, 200, out);
        } else if ((m = FUNCTION.matcher(path)).matches()) {
            String name = functionName(decode(m.group(1)));
            boolean policy = m.group(2) != null;
            if (lambdaFault(ex, count(policy ? "GetPolicy" : "GetFunction", name))) {
                return;
            }
            FakeFunction f = functions.get(name);
            if (f == null || policy && f.policy == null) {
                lambdaError(
                        ex,
                        404,
                        "ResourceNotFoundException",
                        (f == null ? "Function not found: " : "The resource you requested does not exist. ")
                                + account.functionArn(region, name));
                return;
            }
            ObjectNode out = JSON.createObjectNode();
            if (policy) {
                out.put("Policy", f.policy);
                out.put("RevisionId", UUID.randomUUID().toString());
            } else {
                out.set("Configuration", configuration(account, region, f));
                if (f.codeSha256 != null) {
                    out.putObject("Code").put("RepositoryType", "S3").put("Location", location(f.codeSha256));
                }
            }
            sendJson(ex, 200, out);
        } else if ((m = FUNCTION_URL.matcher(path)).matches()) {
            String name = functionName(decode(m.group(1)));
            if (lambdaFault(ex, count("GetFunctionUrlConfig", name))) {
                return;
            }
            FakeFunction f = functions.get(name);
            if (f == null || f.urlAuthType == null) {
                lambdaError(ex, 404, "ResourceNotFoundException", "The resource you requested does not exist.");
                return;
            }
            ObjectNode out = JSON.createObjectNode();
            out.put("FunctionUrl", "https://" + name + ".lambda-url." + region + ".on.aws/");
            out.put("FunctionArn", account.functionArn(region, name));
            out.put("AuthType", f.urlAuthType);
            out.put("CreationTime", "2024-01-01T00:00:00.000Z");
            out.put("LastModifiedTime", "2024-01-01T00:00:00.000Z");
            sendJson(ex, 200, out);
        } else if (path.matches("/2018-10-31/layers/?") && "LayerVersion".equals(query.get("find"))) {
            String arn = query.getOrDefault("Arn", "");
            if (lambdaFault(ex, count("GetLayerVersionByArn", arn))) {
                return;
            }
            String sha = layer(arn);
            if (sha == null) {
                lambdaError(ex, 404, "ResourceNotFoundException", "The resource you requested does not exist.");
                return;
            }
            ObjectNode out = JSON.createObjectNode();
            out.putObject("Content")
                    .put("Location", location(sha))
                    .put("CodeSha256", sha)
                    .put("CodeSize", code.get(sha).length);
            out.put("LayerArn", arn.substring(0, arn.lastIndexOf(':')));
            out.put("LayerVersionArn", arn);
            out.put("Version", Long.parseLong(arn.substring(arn.lastIndexOf(':') + 1)));
            out.put("CreatedDate", "2024-01-01T00:00:00.000+0000");
            sendJson(ex, 200, out);
        } else if ((m = LAYER_VERSIONS.matcher(path)).matches()) {
            String layer = decode(m.group(1));
            String layerArn = layer.startsWith("arn:")
                    ? layer
                    : "arn:aws:lambda:" + region + ":" + account.id + ":layer:" + layer;
            if (lambdaFault(ex, count("ListLayerVersions", layerArn))) {
                return;
            }
            FakeAccount owner = accounts.get(layerArn.split(":")[4]);
            List<Long> versions = owner == null
                    ? List.of()
                    : owner.layerVersions.keySet().stream()
                            .filter(a -> a.startsWith(layerArn + ":"))
                            .map(a -> Long.parseLong(a.substring(layerArn.length() + 1)))
                            .sorted(java.util.Comparator.reverseOrder())
                            .toList();
            int max = query.containsKey("MaxItems") ? Integer.parseInt(query.get("MaxItems")) : LIST_PAGE_SIZE;
            ObjectNode out = JSON.createObjectNode();
            ArrayNode list = out.putArray("LayerVersions");
            versions.stream()
                    .limit(max)
                    .forEach(v -> list.addObject()
                            .put("LayerVersionArn", layerArn + ":" + v)
                            .put("Version", v)
                            .put("CreatedDate", "2024-01-01T00:00:00.000+0000"));
            sendJson(ex, 200, out);
        } else {
            lambdaError(ex, 404, "UnknownOperationException", "no route for " + ex.getRequestMethod() + " " + path);
        }
    }

    /** A layer version's CodeSha256, whatever account owns it. */
    private String layer(String arn) {
        String[] parts = arn.split(":");
        FakeAccount owner = parts.length == 8 ? accounts.get(parts[4]) : null;
        return owner == null ? null : owner.layerVersions.get(arn);
    }

    private static String functionName(String nameOrArn) {
        if (nameOrArn.startsWith("arn:")) {
            String[] parts = nameOrArn.split(":");
            return parts[6];
        }
        return nameOrArn;
    }

    private ObjectNode configuration(FakeAccount account, String region, FakeFunction f) {
        ObjectNode c = JSON.createObjectNode();
        c.put("FunctionName", f.name);
        c.put("FunctionArn", account.functionArn(region, f.name));
        if (f.runtime != null) {
            c.put("Runtime", f.runtime);
            c.put("Handler", "example.Handler::handleRequest");
        }
        if (f.role != null) {
            c.put("Role", f.role);
        }
        c.put("CodeSha256", f.codeSha256 == null ? "" : f.codeSha256);
        c.put("CodeSize", f.codeSha256 == null ? 0 : code.get(f.codeSha256).length);
        c.put("PackageType", f.packageType);
        c.put("Version", "$LATEST");
        c.put("LastModified", "2024-01-01T00:00:00.000+0000");
        c.put("MemorySize", 512);
        c.put("Timeout", 30);
        if (!f.layers.isEmpty()) {
            ArrayNode layers = c.putArray("Layers");
            for (String arn : f.layers) {
                String sha = layer(arn);
                layers.addObject().put("Arn", arn).put("CodeSize", sha == null ? 0 : code.get(sha).length);
            }
        }
        if (!f.environment.isEmpty()) {
            ObjectNode vars = c.putObject("Environment").putObject("Variables");
            f.environment.forEach(vars::put);
        }
        return c;
    }

    private boolean lambdaFault(HttpExchange ex, Fault fault) throws IOException {
        if (fault == null) {
            return false;
        }
        lambdaError(ex, fault.status, fault.code, fault.status == 429 ? "Rate exceeded" : "injected fault");
        return true;
    }

    private void lambdaError(HttpExchange ex, int status, String code, String message) throws IOException {
        ObjectNode out = JSON.createObjectNode()
                .put("Type", status >= 500 ? "Service" : "User")
                .put("message", message);
        send(ex, status, "application/json", out.toString(), code);
    }

    // ---- IAM and STS (query protocol, XML) ----

    private void query(HttpExchange ex, FakeAccount account, Map<String, String> form, String ns) throws IOException {
        String action = form.getOrDefault("Action", "");
        String target = form.getOrDefault("RoleName", form.getOrDefault("PolicyArn", form.getOrDefault("RoleArn", "")));
        Fault fault = count(action, target);
        if (fault != null) {
            queryError(ex, ns, fault.status, fault.code, fault.status == 400 ? "Rate exceeded" : "injected fault");
            return;
        }
        StringBuilder result = new StringBuilder();
        switch (action) {
            case "GetCallerIdentity" ->
                result.append("<Arn>arn:aws:iam::")
                        .append(account.id)
                        .append(":user/scanner</Arn>")
                        .append("<UserId>AIDAFAKESCANNER</UserId><Account>")
                        .append(account.id)
                        .append("</Account>");
            case "AssumeRole" -> {
                String roleArn = form.getOrDefault("RoleArn", "");
                String[] parts = roleArn.split(":");
                FakeAccount into = parts.length == 6 ? accounts.get(parts[4]) : null;
                String roleName = parts.length == 6 ? parts[5].substring(parts[5].lastIndexOf('/') + 1) : "";
                if (into == null || !roleName.equals(into.assumableRole) || account != home) {
                    queryError(
                            ex,
                            ns,
                            403,
                            "AccessDenied",
                            "User: arn:aws:iam::" + account.id
                                    + ":user/scanner is not authorized to perform: sts:AssumeRole on resource: "
                                    + roleArn);
                    return;
                }
                String key = "ASIAFAKE" + into.id;
                keys.put(key, into.id);
                result.append("<Credentials><AccessKeyId>")
                        .append(key)
                        .append("</AccessKeyId>")
                        .append("<SecretAccessKey>fakeSecretKeyForAnAssumedRole000000000000</SecretAccessKey>")
                        .append("<SessionToken>FwoGZXIvYXdzEFAKESESSIONTOKEN</SessionToken>")
                        .append("<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>")
                        .append("<AssumedRoleUser><AssumedRoleId>AROAFAKE:")
                        .append(form.get("RoleSessionName"))
                        .append("</AssumedRoleId><Arn>arn:aws:sts::")
                        .append(into.id)
                        .append(":assumed-role/")
                        .append(roleName)
                        .append('/')
                        .append(form.get("RoleSessionName"))
                        .append("</Arn></AssumedRoleUser>");
            }
            case "GetRole" -> {
                FakeAccount.Role role = account.roles.get(target);
                if (role == null) {
                    noSuchEntity(ex, "The role with name " + target + " cannot be found.");
                    return;
                }
                result.append("<Role><Path>/service-role/</Path><RoleName>")
                        .append(role.name())
                        .append("</RoleName>")
                        .append("<RoleId>AROAFAKE")
                        .append(role.name().length())
                        .append("</RoleId><Arn>arn:aws:iam::")
                        .append(account.id)
                        .append(":role/service-role/")
                        .append(role.name())
                        .append("</Arn>")
                        .append("<CreateDate>2024-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>")
                        .append(urlEncode(
                                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                                        + "{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"))
                        .append("</AssumeRolePolicyDocument></Role>");
            }
            case "ListAttachedRolePolicies" -> {
                FakeAccount.Role role = account.roles.get(target);
                if (role == null) {
                    noSuchEntity(ex, "The role with name " + target + " cannot be found.");
                    return;
                }
                result.append("<AttachedPolicies>");
                for (String arn : role.attached()) {
                    result.append("<member><PolicyName>")
                            .append(arn.substring(arn.lastIndexOf('/') + 1))
                            .append("</PolicyName><PolicyArn>")
                            .append(arn)
                            .append("</PolicyArn></member>");
                }
                result.append("</AttachedPolicies><IsTruncated>false</IsTruncated>");
            }
            case "ListRolePolicies" -> {
                FakeAccount.Role role = account.roles.get(target);
                if (role == null) {
                    noSuchEntity(ex, "The role with name " + target + " cannot be found.");
                    return;
                }
                result.append("<PolicyNames>");
                role.inline().keySet().stream()
                        .sorted()
                        .forEach(n -> result.append("<member>").append(n).append("</member>"));
                result.append("</PolicyNames><IsTruncated>false</IsTruncated>");
            }
            case "GetRolePolicy" -> {
                FakeAccount.Role role = account.roles.get(target);
                String name = form.getOrDefault("PolicyName", "");
                if (role == null || !role.inline().containsKey(name)) {
                    noSuchEntity(ex, "The role policy with name " + name + " cannot be found.");
                    return;
                }
                result.append("<RoleName>")
                        .append(role.name())
                        .append("</RoleName><PolicyName>")
                        .append(name)
                        .append("</PolicyName><PolicyDocument>")
                        .append(urlEncode(role.inline().get(name)))
                        .append("</PolicyDocument>");
            }
            case "GetPolicy" -> {
                if (!managedPolicies.containsKey(target)) {
                    noSuchEntity(ex, "Policy " + target + " was not found.");
                    return;
                }
                result.append("<Policy><PolicyName>")
                        .append(target.substring(target.lastIndexOf('/') + 1))
                        .append("</PolicyName><Arn>")
                        .append(target)
                        .append("</Arn><DefaultVersionId>v3</DefaultVersionId>")
                        .append("<AttachmentCount>1</AttachmentCount><IsAttachable>true</IsAttachable></Policy>");
            }
            case "GetPolicyVersion" -> {
                String document = managedPolicies.get(target);
                if (document == null || !"v3".equals(form.get("VersionId"))) {
                    noSuchEntity(ex, "Policy " + target + " version " + form.get("VersionId") + " does not exist.");
                    return;
                }
                result.append("<PolicyVersion><Document>")
                        .append(urlEncode(document))
                        .append("</Document><VersionId>v3</VersionId><IsDefaultVersion>true</IsDefaultVersion>")
                        .append("<CreateDate>2024-01-01T00:00:00Z</CreateDate></PolicyVersion>");
            }
            default -> {
                queryError(ex, ns, 400, "InvalidAction", "Could not find operation " + action);
                return;
            }
        }
        String xml = "<" + action + "Response xmlns=\"" + ns + "\"><" + action + "Result>" + result + "</" + action
                + "Result><ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata></"
                + action + "Response>";
        send(ex, 200, "text/xml", xml, null);
    }

    private void noSuchEntity(HttpExchange ex, String message) throws IOException {
        queryError(ex, IAM_NS, 404, "NoSuchEntity", message);
    }

    private void queryError(HttpExchange ex, String ns, int status, String code, String message) throws IOException {
        String xml = "<ErrorResponse xmlns=\"" + ns + "\"><Error><Type>" + (status >= 500 ? "Receiver" : "Sender")
                + "</Type><Code>" + code + "</Code><Message>" + escapeXml(message) + "</Message></Error><RequestId>"
                + UUID.randomUUID() + "</RequestId></ErrorResponse>";
        send(ex, status, "text/xml", xml, null);
    }

    // ---- Organizations (JSON 1.1) ----

    private void organizations(HttpExchange ex, FakeAccount account, String target, byte[] body) throws IOException {
        if (!"AWSOrganizationsV20161128.ListAccounts".equals(target)) {
            send(
                    ex,
                    400,
                    "application/x-amz-json-1.1",
                    "{\"__type\":\"UnknownOperationException\",\"message\":\"" + target + "\"}",
                    null);
            return;
        }
        Fault fault = count("ListAccounts", "");
        if (fault != null) {
            send(
                    ex,
                    fault.status,
                    "application/x-amz-json-1.1",
                    "{\"__type\":\"com.amazonaws.organizations#" + fault.code + "\",\"Message\":\"Rate exceeded\"}",
                    null);
            return;
        }
        if (account != home) {
            send(
                    ex,
                    400,
                    "application/x-amz-json-1.1",
                    "{\"__type\":\"AccessDeniedException\",\"Message\":"
                            + "\"You don't have permissions to access this resource.\"}",
                    null);
            return;
        }
        List<String> all = new ArrayList<>();
        all.add(home.id);
        synchronized (organization) {
            all.addAll(organization);
        }
        JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        int start = request.has("NextToken")
                ? Integer.parseInt(request.get("NextToken").asText())
                : 0;
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("Accounts");
        for (int i = start; i < Math.min(all.size(), start + ORGANIZATION_PAGE_SIZE); i++) {
            list.addObject()
                    .put("Id", all.get(i))
                    .put("Arn", "arn:aws:organizations::" + home.id + ":account/o-fake/" + all.get(i))
                    .put("Name", "account-" + all.get(i))
                    .put("Email", all.get(i) + "@example.com")
                    .put("Status", "ACTIVE")
                    .put("JoinedMethod", "CREATED")
                    .put("JoinedTimestamp", 1.7E9);
        }
        if (start + ORGANIZATION_PAGE_SIZE < all.size()) {
            out.put("NextToken", String.valueOf(start + ORGANIZATION_PAGE_SIZE));
        }
        send(ex, 200, "application/x-amz-json-1.1", out.toString(), null);
    }

    // ---- Secrets Manager (JSON 1.1) ----

    private void secretsManager(HttpExchange ex, FakeAccount account, String region, String target, byte[] body)
            throws IOException {
        if (!"secretsmanager.GetSecretValue".equals(target)) {
            jsonError(ex, 400, "UnknownOperationException", String.valueOf(target));
            return;
        }
        JsonNode request = JSON.readTree(body);
        String secretId = request.path("SecretId").asText();
        Fault fault = count("GetSecretValue", secretId);
        if (fault != null) {
            jsonError(ex, fault.status, fault.code, "injected fault");
            return;
        }
        String prefix = "arn:aws:secretsmanager:" + region + ":" + account.id + ":secret:";
        String arn = account.secrets.keySet().stream()
                .filter(a -> a.startsWith(prefix)
                        && (a.equals(secretId)
                                || a.substring(prefix.length(), a.length() - 7).equals(secretId)))
                .findFirst()
                .orElse(null);
        if (arn == null) {
            jsonError(ex, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
            return;
        }
        ObjectNode out = JSON.createObjectNode()
                .put("ARN", arn)
                .put("Name", arn.substring(prefix.length(), arn.length() - 7))
                .put(
                        "VersionId",
                        UUID.nameUUIDFromBytes(arn.getBytes(StandardCharsets.UTF_8))
                                .toString())
                .put("SecretString", account.secrets.get(arn))
                .put("CreatedDate", 1.7E9);
        out.putArray("VersionStages").add("AWSCURRENT");
        send(ex, 200, "application/x-amz-json-1.1", out.toString(), null);
    }

    private static void jsonError(HttpExchange ex, int status, String type, String message) throws IOException {
        ObjectNode error = JSON.createObjectNode().put("__type", type).put("Message", message);
        send(ex, status, "application/x-amz-json-1.1", error.toString(), null);
    }

    // ---- plumbing ----

    private static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        send(ex, status, "application/json", body.toString(), null);
    }

    private static void send(HttpExchange ex, int status, String contentType, String body, String errorType)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        if (errorType != null) {
            ex.getResponseHeaders().set("X-Amzn-ErrorType", errorType);
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Map<String, String> form(byte[] body) {
        Map<String, String> form = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            form.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return form;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** IAM's encoding of policy documents (RFC 3986: spaces as %20). */
    private static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String escapeXml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
