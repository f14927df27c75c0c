package io.warden.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.policy.internal.ConnectCache;
import io.warden.policy.internal.DecisionCache;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("fast")
class PolicyEvaluatorTest {
    static final String WORK = "/srv/app";
    static final Environment LAMBDA = new Environment(
            Map.of("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001", "LAMBDA_TASK_ROOT", "/var/task"),
            "/usr/lib/jvm/jdk-17",
            WORK,
            List.of("/var/runtime/lib/runtime.jar", "/srv/app/classes"));

    static PolicyEvaluator evaluator(String json) {
        return evaluator(json, LAMBDA);
    }

    static PolicyEvaluator evaluator(String json, Environment environment) {
        try {
            return new PolicyEvaluator(Policy.parse(json, "test"), environment);
        } catch (PolicyException e) {
            throw new AssertionError(e);
        }
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An Inet6Address even for IPv4-mapped addresses, which InetAddress.getByName turns into Inet4Address. */
    static InetAddress ip6(int... words) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[2 * i] = (byte) (words[i] >>> 8);
            bytes[2 * i + 1] = (byte) words[i];
        }
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static void assertDecision(Decision decision, Action action, String rule) {
        assertThat(decision.action()).as("action of %s", decision).isEqualTo(action);
        assertThat(decision.rule()).as("rule of %s", decision).isEqualTo(rule);
    }

    @Nested
    class Network {
        final PolicyEvaluator example = evaluator("{\"version\":1,\"network\":{\"allow\":[\"*.amazonaws.com:443\","
                + "\"10.0.0.0/8\",\"db.internal:5432\",\"fd00::/8\",\"[::1]:8443\"],\"deny\":[\"203.0.113.0/24\"]}}");

        @Test
        void wildcardMatchesAnyDepthOfSubdomainButNotTheBareSuffix() {
            InetAddress address = ip("52.1.2.3");
            assertDecision(example.connect("s3.amazonaws.com", address, 443), Action.ALLOWED, "network.allow[0]");
            assertDecision(example.connect("a.b.s3.amazonaws.com", address, 443), Action.ALLOWED, "network.allow[0]");
            assertDecision(example.connect("amazonaws.com", address, 443), Action.BLOCKED, "network.allow (no match)");
            assertDecision(
                    example.connect("evilamazonaws.com", address, 443), Action.BLOCKED, "network.allow (no match)");
        }

        @Test
        void hostNamesMatchIgnoringCaseAndTrailingDot() {
            assertDecision(
                    example.connect("STS.AmazonAWS.com.", ip("52.1.2.3"), 443), Action.ALLOWED, "network.allow[0]");
            assertDecision(example.connect("DB.Internal", ip("192.0.2.9"), 5432), Action.ALLOWED, "network.allow[2]");
        }

        @Test
        void portMustMatchWhenGivenAndAnyPortOtherwise() {
            assertDecision(
                    example.connect("s3.amazonaws.com", ip("52.1.2.3"), 80),
                    Action.BLOCKED,
                    "network.allow (no match)");
            assertDecision(
                    example.connect("db.internal", ip("192.0.2.9"), 5433), Action.BLOCKED, "network.allow (no match)");
            assertDecision(example.connect(null, ip("10.9.8.7"), 1), Action.ALLOWED, "network.allow[1]");
            assertDecision(example.connect(null, ip("10.9.8.7"), 65535), Action.ALLOWED, "network.allow[1]");
        }

        @Test
        void hostNameEntriesNeedTheNameAndAddressEntriesTheAddress() {
            assertDecision(example.connect(null, ip("52.1.2.3"), 443), Action.BLOCKED, "network.allow (no match)");
            assertDecision(
                    example.connect("anything.example", ip("10.0.0.1"), 443), Action.ALLOWED, "network.allow[1]");
        }

        @Test
        void cidrRangesOfBothFamilies() {
            assertDecision(example.connect(null, ip("10.255.255.255"), 80), Action.ALLOWED, "network.allow[1]");
            assertDecision(example.connect(null, ip("11.0.0.0"), 80), Action.BLOCKED, "network.allow (no match)");
            assertDecision(example.connect(null, ip("9.255.255.255"), 80), Action.BLOCKED, "network.allow (no match)");
            assertDecision(example.connect(null, ip("fd12:3456::1"), 80), Action.ALLOWED, "network.allow[3]");
            assertDecision(example.connect(null, ip("fe80::1"), 80), Action.BLOCKED, "network.allow (no match)");
            assertDecision(example.connect(null, ip("::1"), 8443), Action.ALLOWED, "network.allow[4]");
            assertDecision(example.connect(null, ip("::1"), 443), Action.BLOCKED, "network.allow (no match)");
        }

        @Test
        void denyWinsOverAllow() {
            PolicyEvaluator evaluator = evaluator("{\"version\":1,\"network\":{\"allow\":[\"0.0.0.0/0\",\"*.example\"],"
                    + "\"deny\":[\"203.0.113.0/24\",\"evil.example:443\"]}}");
            assertDecision(evaluator.connect(null, ip("203.0.113.77"), 443), Action.BLOCKED, "network.deny[0]");
            assertDecision(evaluator.connect("evil.example", ip("192.0.2.1"), 443), Action.BLOCKED, "network.deny[1]");
            assertDecision(evaluator.connect("evil.example", ip("192.0.2.1"), 80), Action.ALLOWED, "network.allow[0]");
            assertDecision(evaluator.connect(null, ip("192.0.2.1"), 443), Action.ALLOWED, "network.allow[0]");
        }

        @Test
        void embeddedIpv4FormsCountAsTheIpv4Address() {
            PolicyEvaluator evaluator = evaluator("{\"version\":1,\"network\":{\"allow\":[\"::ffff:10.0.0.0/104\"],"
                    + "\"deny\":[\"64:ff9b::c000:201\"]}}");
            assertDecision(evaluator.connect(null, ip("10.1.2.3"), 80), Action.ALLOWED, "network.allow[0]");
            assertDecision(
                    evaluator.connect(null, ip6(0, 0, 0, 0, 0, 0xffff, 0x0a01, 0x0203), 80),
                    Action.ALLOWED,
                    "network.allow[0]");
            assertDecision(
                    evaluator.connect(null, ip6(0x64, 0xff9b, 0, 0, 0, 0, 0x0a01, 0x0203), 80),
                    Action.ALLOWED,
                    "network.allow[0]");
            assertDecision(evaluator.connect(null, ip("192.0.2.1"), 80), Action.BLOCKED, "network.deny[0]");
            assertDecision(
                    evaluator.connect(null, ip6(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201), 80),
                    Action.BLOCKED,
                    "network.deny[0]");
        }

        @Test
        void everyEncodingOfTheMetadataAddressIsDeniedEvenUnderBroadAllowEntries() {
            PolicyEvaluator evaluator =
                    evaluator("{\"version\":1,\"mode\":\"alert\",\"network\":{\"denyMode\":\"block\","
                            + "\"allow\":[\"0.0.0.0/0\",\"::/0\",\"169.254.0.0/16\",\"instance-data\"]}}");
            List<InetAddress> encodings = List.of(
                    ip("169.254.169.254"),
                    ip6(0, 0, 0, 0, 0, 0xffff, 0xa9fe, 0xa9fe),
                    ip6(0, 0, 0, 0, 0, 0, 0xa9fe, 0xa9fe),
                    ip6(0x64, 0xff9b, 0, 0, 0, 0, 0xa9fe, 0xa9fe),
                    ip("fd00:ec2::254"),
                    ip("fd00:ec2:0:0:0:0:0:254"));
            for (InetAddress address : encodings) {
                assertDecision(evaluator.connect(null, address, 80), Action.BLOCKED, "builtin.deny metadata");
                assertDecision(
                        evaluator.connect("instance-data", address, 80), Action.BLOCKED, "builtin.deny metadata");
            }
            assertDecision(
                    evaluator.connect(null, ip("169.254.170.2"), 80),
                    Action.BLOCKED,
                    "builtin.deny container-credentials");
            assertDecision(evaluator.connect(null, ip("169.254.1.1"), 80), Action.ALLOWED, "network.allow[0]");
        }

        @Test
        void anExactAllowEntryNamesABuiltInDenyTarget() {
            PolicyEvaluator evaluator = evaluator("{\"version\":1,\"network\":{\"allow\":[\"169.254.169.254:80\","
                    + "\"[fd00:ec2::254]:80\",\"169.254.170.2/32\"]}}");
            assertDecision(evaluator.connect(null, ip("169.254.169.254"), 80), Action.ALLOWED, "network.allow[0]");
            assertDecision(
                    evaluator.connect(null, ip6(0, 0, 0, 0, 0, 0xffff, 0xa9fe, 0xa9fe), 80),
                    Action.ALLOWED,
                    "network.allow[0]");
            assertDecision(
                    evaluator.connect(null, ip("169.254.169.254"), 443), Action.BLOCKED, "builtin.deny metadata");
            assertDecision(evaluator.connect(null, ip("fd00:ec2::254"), 80), Action.ALLOWED, "network.allow[1]");
            assertDecision(evaluator.connect(null, ip("169.254.170.2"), 8080), Action.ALLOWED, "network.allow[2]");
        }

        @Test
        void runtimeApiEndpointIsBaseline() {
            PolicyEvaluator evaluator = evaluator("{\"version\":1}");
            assertDecision(evaluator.connect(null, ip("127.0.0.1"), 9001), Action.ALLOWED, "baseline");
            assertDecision(evaluator.connect(null, ip("127.0.0.1"), 9002), Action.BLOCKED, "network.allow (no match)");

            Environment byName =
                    new Environment(Map.of("AWS_LAMBDA_RUNTIME_API", "runtime.local:9001"), "/jdk", "/", List.of());
            PolicyEvaluator named = evaluator("{\"version\":1}", byName);
            assertDecision(named.connect("runtime.local", ip("192.0.2.4"), 9001), Action.ALLOWED, "baseline");
            assertDecision(named.resolve("runtime.local"), Action.ALLOWED, "baseline");
            assertDecision(named.connect(null, ip("192.0.2.4"), 9001), Action.BLOCKED, "network.allow (no match)");
        }

        @Test
        void cachedDecisionTellsHostNamesApart() {
            PolicyEvaluator evaluator = evaluator("{\"version\":1,\"network\":{\"allow\":[\"api.example:443\"]}}");
            InetAddress address = ip("192.0.2.10");
            for (int round = 0; round < 2; round++) {
                assertDecision(evaluator.connect(null, address, 443), Action.BLOCKED, "network.allow (no match)");
                assertDecision(evaluator.connect("api.example", address, 443), Action.ALLOWED, "network.allow[0]");
                assertDecision(
                        evaluator.connect("other.example", address, 443), Action.BLOCKED, "network.allow (no match)");
                assertDecision(
                        evaluator.connect("api.example", address, 444), Action.BLOCKED, "network.allow (no match)");
            }
        }
    }

    @Nested
    class Dns {
        @Test
        void allowDefaultsToHostNamesOfNetworkAllow() {
            PolicyEvaluator evaluator = evaluator("{\"version\":1,\"network\":{\"allow\":[\"*.amazonaws.com:443\","
                    + "\"10.0.0.0/8\",\"db.internal:5432\"]}}");
            assertDecision(evaluator.resolve("sts.amazonaws.com"), Action.ALLOWED, "network.allow[0]");
            assertDecision(evaluator.resolve("db.internal"), Action.ALLOWED, "network.allow[2]");
            assertDecision(evaluator.resolve("DB.INTERNAL."), Action.ALLOWED, "network.allow[2]");
            assertDecision(evaluator.resolve("exfil.evil.example"), Action.BLOCKED, "dns.allow (no match)");
        }

        @Test
        void explicitAllowReplacesTheDefault() {
            PolicyEvaluator evaluator = evaluator("{\"version\":1,\"network\":{\"allow\":[\"db.internal\"]},"
                    + "\"dns\":{\"allow\":[\"*.example\"]}}");
            assertDecision(evaluator.resolve("a.example"), Action.ALLOWED, "dns.allow[0]");
            assertDecision(evaluator.resolve("db.internal"), Action.BLOCKED, "dns.allow (no match)");
        }

        @Test
        void hostNamesOfNetworkDenyAndDnsDenyAreDenied() {
            PolicyEvaluator evaluator = evaluator(
                    "{\"version\":1,\"network\":{\"deny\":[\"evil.example:443\"]},"
                            + "\"dns\":{\"mode\":\"alert\",\"denyMode\":\"block\",\"allow\":[\"*.example\"],\"deny\":[\"*.oast.fun\"]}}");
            assertDecision(evaluator.resolve("evil.example"), Action.BLOCKED, "network.deny[0]");
            assertDecision(evaluator.resolve("x.oast.fun"), Action.BLOCKED, "dns.deny[0]");
            assertDecision(evaluator.resolve("good.example"), Action.ALLOWED, "dns.allow[0]");
            assertDecision(evaluator.resolve("other.test"), Action.ALERTED, "dns.allow (no match)");
        }

        @Test
        void theMachinesOwnHostNameResolvesAsTheJdkAndLoggingFrameworksDo() {
            Environment named = new Environment(Map.of(), "/jdk", "/", List.of(), List.of("/jdk"), "ip-10-0-0-7");
            PolicyEvaluator evaluator = evaluator("{\"version\":1}", named);
            assertDecision(evaluator.resolve("ip-10-0-0-7"), Action.ALLOWED, "baseline");
            assertDecision(evaluator.resolve("ip-10-0-0-8"), Action.BLOCKED, "dns.allow (no match)");
        }

        @Test
        void literalsAndLocalhostAreNoLookup() {
            PolicyEvaluator evaluator = evaluator("{\"version\":1}");
            assertDecision(evaluator.resolve("10.0.0.1"), Action.ALLOWED, "builtin.allow ip-literal");
            assertDecision(evaluator.resolve("::1"), Action.ALLOWED, "builtin.allow ip-literal");
            assertDecision(evaluator.resolve("localhost"), Action.ALLOWED, "baseline");
            assertDecision(evaluator.resolve("10.0.0.1.evil.example"), Action.BLOCKED, "dns.allow (no match)");
        }
    }

    @Nested
    class Files {
        final PolicyEvaluator example = evaluator("{\"version\":1,\"files\":{\"read\":[\"/srv/data/**\",\"/tmp/?.txt\","
                + "\"/etc/app/*.conf\",\"/srv/lib/**/*.csv\"],\"write\":[\"/tmp/**\"],\"deny\":[\"/tmp/secret/**\"]}}");

        @Test
        void globs() {
            assertDecision(example.file(FileAccess.READ, "/srv/data"), Action.ALLOWED, "files.read[0]");
            assertDecision(example.file(FileAccess.READ, "/srv/data/a/b/c"), Action.ALLOWED, "files.read[0]");
            assertDecision(example.file(FileAccess.READ, "/srv/database"), Action.BLOCKED, "files.read (no match)");
            assertDecision(example.file(FileAccess.READ, "/tmp/a.txt"), Action.ALLOWED, "files.read[1]");
            assertDecision(example.file(FileAccess.READ, "/etc/app/main.conf"), Action.ALLOWED, "files.read[2]");
            assertDecision(
                    example.file(FileAccess.READ, "/etc/app/sub/main.conf"), Action.BLOCKED, "files.read (no match)");
            assertDecision(example.file(FileAccess.READ, "/srv/lib/x.csv"), Action.ALLOWED, "files.read[3]");
            assertDecision(example.file(FileAccess.READ, "/srv/lib/a/b/c.csv"), Action.ALLOWED, "files.read[3]");
            assertDecision(
                    example.file(FileAccess.READ, "/srv/lib/a/b/c.csv.txt"), Action.BLOCKED, "files.read (no match)");
        }

        @Test
        void writeImpliesReadButNotTheOtherWayRound() {
            assertDecision(example.file(FileAccess.READ, "/tmp/ab.txt"), Action.ALLOWED, "files.write[0]");
            assertDecision(example.file(FileAccess.WRITE, "/srv/data/x"), Action.BLOCKED, "files.write (no match)");
            for (FileAccess access :
                    List.of(FileAccess.WRITE, FileAccess.DELETE, FileAccess.RENAME, FileAccess.MKDIR)) {
                assertDecision(example.file(access, "/tmp/out/file"), Action.ALLOWED, "files.write[0]");
            }
        }

        @Test
        void doubleStarCoversTheDirectoryItselfForMkdirAndList() {
            assertDecision(example.file(FileAccess.MKDIR, "/tmp"), Action.ALLOWED, "files.write[0]");
            assertDecision(example.file(FileAccess.LIST, "/tmp"), Action.ALLOWED, "files.write[0]");
        }

        @Test
        void denyWinsOverAllow() {
            assertDecision(example.file(FileAccess.WRITE, "/tmp/secret/key"), Action.BLOCKED, "files.deny[0]");
            assertDecision(example.file(FileAccess.READ, "/tmp/secret"), Action.BLOCKED, "files.deny[0]");
        }

        @Test
        void pathsAreNormalisedBeforeMatching() {
            assertDecision(
                    example.file(FileAccess.READ, "/tmp/../proc/self/environ"),
                    Action.BLOCKED,
                    "builtin.deny /proc/**/environ");
            assertDecision(
                    example.file(FileAccess.READ, "/tmp/../etc/shadow"), Action.BLOCKED, "files.read (no match)");
            assertDecision(example.file(FileAccess.WRITE, "/tmp//./x/../y"), Action.ALLOWED, "files.write[0]");
            PolicyEvaluator relative = evaluator("{\"version\":1,\"files\":{\"read\":[\"/srv/app/**\"]}}");
            assertDecision(relative.file(FileAccess.READ, "data/in.csv"), Action.ALLOWED, "files.read[0]");
            assertDecision(relative.file(FileAccess.READ, "../secret"), Action.BLOCKED, "files.read (no match)");
        }

        @Test
        void attributeChangesNeedWriteAccess() {
            assertDecision(example.file(FileAccess.ATTRIBUTES, "/tmp/out/file"), Action.ALLOWED, "files.write[0]");
            assertDecision(
                    example.file(FileAccess.ATTRIBUTES, "/srv/data/x"), Action.BLOCKED, "files.write (no match)");
            assertDecision(example.file(FileAccess.ATTRIBUTES, "/tmp/secret/key"), Action.BLOCKED, "files.deny[0]");
        }

        @Test
        void metadataIsDeniedOnlyByTheDenyLists() {
            assertDecision(example.file(FileAccess.STAT, "/etc/passwd"), Action.ALLOWED, "builtin.allow stat");
            assertDecision(example.file(FileAccess.STAT, "/tmp/secret/key"), Action.BLOCKED, "files.deny[0]");
            assertDecision(
                    example.file(FileAccess.STAT, "/proc/self/environ"),
                    Action.BLOCKED,
                    "builtin.deny /proc/**/environ");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "/proc/self/environ",
                    "/proc/1/environ",
                    "/proc/thread-self/environ",
                    "/proc/self/task/12/environ",
                    "/proc/self/root/proc/1/environ",
                    "/proc/self/mem",
                    "/proc/42/mem"
                })
        void otherProcessesSecretsAreDeniedEvenUnderBroadAllowEntries(String path) {
            PolicyEvaluator evaluator =
                    evaluator("{\"version\":1,\"files\":{\"read\":[\"/**\",\"/pr*/**\"]," + "\"write\":[\"/**\"]}}");
            assertThat(evaluator.file(FileAccess.READ, path).action()).isEqualTo(Action.BLOCKED);
            assertThat(evaluator.file(FileAccess.WRITE, path).action()).isEqualTo(Action.BLOCKED);
            assertThat(evaluator.file(FileAccess.READ, path).rule()).startsWith("builtin.deny /proc/**/");
        }

        @Test
        void theAgentsRecordOfThePolicyRevisionIsDeniedUnderTmpWideAllowEntries() {
            PolicyEvaluator evaluator = evaluator(
                    "{\"version\":1,\"files\":{\"read\":[\"/tmp/**\"],\"write\":[\"/tmp/**\",\"/tmp/.warden*\"]}}");
            for (FileAccess access : List.of(
                    FileAccess.READ,
                    FileAccess.WRITE,
                    FileAccess.DELETE,
                    FileAccess.RENAME,
                    FileAccess.ATTRIBUTES,
                    FileAccess.STAT)) {
                assertDecision(
                        evaluator.file(access, "/tmp/.warden-policy-revision-orders"),
                        Action.BLOCKED,
                        "builtin.deny /tmp/.warden-policy-revision-*");
            }
            assertDecision(
                    evaluator.file(FileAccess.WRITE, "/tmp/.warden-policy-revision-orders.12345"),
                    Action.BLOCKED,
                    "builtin.deny /tmp/.warden-policy-revision-*");
            assertDecision(evaluator.file(FileAccess.WRITE, "/tmp/other"), Action.ALLOWED, "files.write[0]");
        }

        @Test
        void anAllowPatternAtLeastAsSpecificNamesABuiltInDenyTarget() {
            PolicyEvaluator evaluator = evaluator("{\"version\":1,\"files\":{\"read\":[\"/proc/self/environ\"]}}");
            assertDecision(evaluator.file(FileAccess.READ, "/proc/self/environ"), Action.ALLOWED, "files.read[0]");
            assertDecision(
                    evaluator.file(FileAccess.WRITE, "/proc/self/environ"),
                    Action.BLOCKED,
                    "builtin.deny /proc/**/environ");
            assertDecision(
                    evaluator.file(FileAccess.READ, "/proc/1/environ"),
                    Action.BLOCKED,
                    "builtin.deny /proc/**/environ");
            PolicyEvaluator sameLiteralPrefix = evaluator("{\"version\":1,\"files\":{\"read\":[\"/proc/**\"]}}");
            assertDecision(sameLiteralPrefix.file(FileAccess.READ, "/proc/1/environ"), Action.ALLOWED, "files.read[0]");
        }

        @Test
        void baseline() {
            PolicyEvaluator evaluator = evaluator("{\"version\":1}");
            for (String path : List.of(
                    "/usr/lib/jvm/jdk-17/lib/modules",
                    "/usr/lib/jvm/jdk-17",
                    "/var/runtime/lib/x.jar",
                    "/var/lang/lib/y",
                    "/var/task/com/example/Handler.class",
                    "/srv/app/classes/a/B.class",
                    "/var/runtime/lib/runtime.jar",
                    "/opt/java/lib/dep.jar",
                    "/opt/layer/deep/lib.jar",
                    "/etc/ssl/certs/ca-certificates.crt",
                    "/etc/pki/tls/cert.pem",
                    "/dev/urandom",
                    "/etc/resolv.conf",
                    "/usr/share/zoneinfo/Europe/Paris",
                    "/proc/self/mountinfo",
                    "/sys/fs/cgroup/cpu.max",
                    "/tmp/.libaws-lambda-jni.so")) {
                assertDecision(evaluator.file(FileAccess.READ, path), Action.ALLOWED, "baseline");
            }
            for (String path : List.of("/dev/null", "/tmp/.libaws-lambda-jni.so")) {
                assertDecision(evaluator.file(FileAccess.WRITE, path), Action.ALLOWED, "baseline");
            }
            assertDecision(
                    evaluator.file(FileAccess.READ, "/opt/layer/secret.txt"), Action.BLOCKED, "files.read (no match)");
            assertDecision(evaluator.file(FileAccess.READ, "/etc/passwd"), Action.BLOCKED, "files.read (no match)");
            assertDecision(
                    evaluator.file(FileAccess.WRITE, "/var/task/Handler.class"),
                    Action.BLOCKED,
                    "files.write (no match)");
            assertDecision(evaluator.file(FileAccess.READ, "/var/taskforce"), Action.BLOCKED, "files.read (no match)");
            assertDecision(
                    evaluator.file(FileAccess.READ, "/proc/self/environ"),
                    Action.BLOCKED,
                    "builtin.deny /proc/**/environ");
        }

        /**
         * Distributions link the JDK's configuration elsewhere (Debian: conf/security/java.security to /etc/java-17-openjdk).
         * The links are followed when a path first needs them, not when the evaluator is built: here the link is made
         * after the evaluator, and the file it leads to is still part of the baseline.
         */
        @Test
        void theJdksLinkedConfigurationIsBaselineResolvedWhenFirstNeeded(@TempDir Path temporary) throws IOException {
            Path security = java.nio.file.Files.createDirectories(temporary.resolve("jdk/conf/security"));
            Path configuration = java.nio.file.Files.createDirectories(temporary.resolve("etc/java-17"));
            Path realFile =
                    java.nio.file.Files.writeString(configuration.resolve("java.security"), "security.provider.1=SUN");
            Environment environment =
                    new Environment(Map.of(), temporary.resolve("jdk").toString(), "/", List.of(), null, null);
            PolicyEvaluator evaluator = evaluator("{\"version\":1}", environment);
            java.nio.file.Files.createSymbolicLink(security.resolve("java.security"), realFile);

            assertDecision(evaluator.file(FileAccess.READ, realFile.toString()), Action.ALLOWED, "baseline");
            assertDecision(
                    evaluator.file(
                            FileAccess.READ, temporary.resolve("etc/passwd").toString()),
                    Action.BLOCKED,
                    "files.read (no match)");
            assertThat(environment.jdkDirectories())
                    .containsExactly(
                            temporary.resolve("jdk").toString(),
                            temporary.resolve("jdk/conf").toString(),
                            security.toString(),
                            configuration.toString());
        }

        @Test
        void taskRootDefaultsToVarTask() {
            PolicyEvaluator evaluator = evaluator("{\"version\":1}", new Environment(Map.of(), "/jdk", "/", List.of()));
            assertDecision(evaluator.file(FileAccess.READ, "/var/task/app.jar"), Action.ALLOWED, "baseline");
            PolicyEvaluator moved = evaluator(
                    "{\"version\":1}", new Environment(Map.of("LAMBDA_TASK_ROOT", "/code"), "/jdk", "/", List.of()));
            assertDecision(moved.file(FileAccess.READ, "/code/app.jar"), Action.ALLOWED, "baseline");
            assertDecision(moved.file(FileAccess.READ, "/var/task/app.jar"), Action.BLOCKED, "files.read (no match)");
        }
    }

    @Nested
    class ProcessesAndNative {
        final PolicyEvaluator evaluator = evaluator("{\"version\":1,\"processes\":{\"allow\":[\"git\",\"/usr/bin/*\","
                + "\"/srv/app/*.sh\"],\"deny\":[\"/usr/bin/curl\"]},\"native\":{\"allow\":[\"/srv/lib/*.so\"]}}");

        @Test
        void programs() {
            assertDecision(evaluator.process(List.of("git", "status")), Action.ALLOWED, "processes.allow[0]");
            assertDecision(
                    evaluator.process(List.of("/usr/local/bin/git")), Action.BLOCKED, "processes.allow (no match)");
            assertDecision(
                    evaluator.process(List.of("/usr/bin/python3", "-c", "1")), Action.ALLOWED, "processes.allow[1]");
            assertDecision(evaluator.process(List.of("python3")), Action.BLOCKED, "processes.allow (no match)");
            assertDecision(
                    evaluator.process(List.of("/usr/bin/curl", "http://x")), Action.BLOCKED, "processes.deny[0]");
            assertDecision(evaluator.process(List.of("./run.sh")), Action.ALLOWED, "processes.allow[2]");
            assertDecision(evaluator.process(List.of("sh", "-c", "id")), Action.BLOCKED, "processes.allow (no match)");
            assertDecision(evaluator.process(List.of()), Action.BLOCKED, "processes.allow (no match)");
        }

        @Test
        void programsWithArgumentPatternsMatchOnlyThoseArgumentsAndTheJvmsOwnEnvironment() {
            PolicyEvaluator ldd = evaluator("""
                    {"version": 1, "processes": {"allow": [{"program": "ldd", "args": ["--version"]},
                      {"program": "ldd", "args": ["${java.home}/bin/*"]}], "deny": [{"program": "git", "args": ["push"]}]}}""");
            assertDecision(ldd.process(List.of("ldd", "--version")), Action.ALLOWED, "processes.allow[0]");
            assertDecision(
                    ldd.process(List.of("ldd", "/usr/lib/jvm/jdk-17/bin/java")), Action.ALLOWED, "processes.allow[1]");
            assertDecision(ldd.process(List.of("ldd")), Action.BLOCKED, "processes.allow (no match)");
            assertDecision(ldd.process(List.of("ldd", "--version", "x")), Action.BLOCKED, "processes.allow (no match)");
            assertDecision(ldd.process(List.of("ldd", "/tmp/evil")), Action.BLOCKED, "processes.allow (no match)");
            assertDecision(
                    ldd.process(List.of("ldd", "/usr/lib/jvm/jdk-17/bin/../../../../../tmp/evil")),
                    Action.BLOCKED,
                    "processes.allow (no match)");
            assertDecision(
                    ldd.process(List.of("ldd", "/usr/lib/jvm/jdk-17/bin//java")),
                    Action.BLOCKED,
                    "processes.allow (no match)");
            assertDecision(
                    ldd.process(List.of("/usr/bin/ldd", "--version")), Action.BLOCKED, "processes.allow (no match)");
            assertDecision(
                    ldd.process(List.of("ldd", "--version"), false), Action.BLOCKED, "processes.allow (no match)");
            assertDecision(ldd.process(List.of("git", "push"), false), Action.BLOCKED, "processes.deny[0]");
            assertDecision(ldd.process(List.of("git", "pull")), Action.BLOCKED, "processes.allow (no match)");
        }

        @Test
        void globEntriesMatchTheProgramAsTheJdkLocatedItAndNameEntriesTheNameAsGiven() {
            assertDecision(
                    evaluator.process(List.of("python3"), "/usr/bin/python3", true),
                    Action.ALLOWED,
                    "processes.allow[1]");
            assertDecision(
                    evaluator.process(List.of("python3"), null, true), Action.BLOCKED, "processes.allow (no match)");
            assertDecision(
                    evaluator.process(List.of("git"), "/opt/git/bin/git", true), Action.ALLOWED, "processes.allow[0]");
            assertDecision(
                    evaluator.process(List.of("curl"), "/usr/bin/curl", true), Action.BLOCKED, "processes.deny[0]");
            // A relative program in a child directory: judged where it is, not where the JVM runs.
            assertDecision(
                    evaluator.process(List.of("./run.sh"), "/home/evil/run.sh", true),
                    Action.BLOCKED,
                    "processes.allow (no match)");
            assertDecision(
                    evaluator.process(List.of("./run.sh"), "/srv/app/run.sh", true),
                    Action.ALLOWED,
                    "processes.allow[2]");
        }

        @Test
        void otherProcessesNeedTheirOperationListed() {
            assertDecision(evaluator.otherProcess("signal"), Action.BLOCKED, "processes.others (no match)");
            PolicyEvaluator inspecting =
                    evaluator("{\"version\":1,\"mode\":\"alert\",\"processes\":{\"others\":[\"inspect\"]}}");
            assertDecision(inspecting.otherProcess("inspect"), Action.ALLOWED, "processes.others[0]");
            assertDecision(inspecting.otherProcess("signal"), Action.ALERTED, "processes.others (no match)");
        }

        @Test
        void nativeLibraries() {
            assertDecision(evaluator.loadNative("/srv/lib/libz.so"), Action.ALLOWED, "native.allow[0]");
            assertDecision(evaluator.loadNative("/tmp/evil.so"), Action.BLOCKED, "native.allow (no match)");
            assertDecision(evaluator.loadNative("/tmp/.libaws-lambda-jni.so"), Action.ALLOWED, "baseline");
            assertDecision(evaluator.loadNative("/usr/lib/jvm/jdk-17/lib/libnet.so"), Action.ALLOWED, "baseline");
            assertDecision(
                    evaluator.loadNative("/srv/lib/../../tmp/evil.so"), Action.BLOCKED, "native.allow (no match)");
            assertThat(evaluator.shippedNative()).isNull();
        }

        @Test
        void theFunctionsCodeAndTheLayersLoadAsReadOnlyCode() {
            assertDecision(evaluator.loadNative("/var/task/lib/libsqlitejdbc.so"), Action.ALLOWED, "baseline");
            assertDecision(evaluator.loadNative("/opt/lib/libz.so"), Action.ALLOWED, "baseline");
            assertDecision(evaluator.loadNative("/optional/libz.so"), Action.BLOCKED, "native.allow (no match)");
            PolicyEvaluator shipped =
                    evaluator("{\"version\":1,\"native\":{\"allowShipped\":true,\"deny\":[\"/opt/bad/*\"]}}");
            assertDecision(shipped.loadNative("/tmp/libnetty.so"), Action.BLOCKED, "native.allow (no match)");
            assertDecision(shipped.shippedNative(), Action.ALLOWED, "native.allowShipped");
            assertDecision(shipped.loadNative("/opt/bad/x.so"), Action.BLOCKED, "native.deny[0]");
        }

        @Test
        void runtimeClientJniLibraryLoadsFromTheRuntimeDirectory() {
            String jni = "/lib/jni/libaws-lambda-jni.linux-x86_64.so";
            assertDecision(evaluator.loadNative("/var/runtime" + jni), Action.ALLOWED, "baseline");
            PolicyEvaluator moved = evaluator(
                    "{\"version\":1}",
                    new Environment(Map.of("LAMBDA_RUNTIME_DIR", "/srv/runtime"), "/jdk", "/", List.of()));
            assertDecision(moved.loadNative("/srv/runtime" + jni), Action.ALLOWED, "baseline");
            assertDecision(
                    moved.file(FileAccess.READ, "/srv/runtime/lib/aws-lambda-java-core-1.4.0.jar"),
                    Action.ALLOWED,
                    "baseline");
            assertDecision(moved.loadNative("/var/runtime" + jni), Action.BLOCKED, "native.allow (no match)");
        }
    }

    @Nested
    class JndiAndDeserialization {
        @Test
        void remoteJndiNamesAreViolationsUnlessAllowed() {
            PolicyEvaluator evaluator = evaluator("{\"version\":1,\"jndi\":{\"mode\":\"alert\",\"denyMode\":\"block\","
                    + "\"allow\":[\"ldap://directory.internal:389/*\"],\"deny\":[\"rmi://*\"]}}");
            assertDecision(evaluator.jndi("ldap://evil:1389/a"), Action.ALERTED, "jndi.allow (no match)");
            assertDecision(evaluator.jndi("LDAP://evil:1389/a"), Action.ALERTED, "jndi.allow (no match)");
            assertDecision(evaluator.jndi("dns://evil/x"), Action.ALERTED, "jndi.allow (no match)");
            assertDecision(evaluator.jndi("ldap://directory.internal:389/cn=app"), Action.ALLOWED, "jndi.allow[0]");
            assertDecision(evaluator.jndi("rmi://evil:1099/x"), Action.BLOCKED, "jndi.deny[0]");
            assertDecision(evaluator.jndi("java:comp/env/jdbc/db"), Action.ALLOWED, "builtin.allow jndi-local");
            assertDecision(evaluator.jndi("jdbc/db"), Action.ALLOWED, "builtin.allow jndi-local");
        }

        @Test
        void aUrlContextIsJudgedByItsSchemeAndAnEnvironmentNotReadAsNoMatch() {
            PolicyEvaluator evaluator =
                    evaluator("{\"version\":1,\"jndi\":{\"allow\":[\"ldap://directory.internal:389/*\"]}}");
            assertDecision(evaluator.jndiUrlContext("ldap"), Action.ALLOWED, "jndi.allow[0]");
            assertDecision(evaluator.jndiUrlContext("rmi"), Action.BLOCKED, "jndi.allow (no match)");
            assertDecision(evaluator.jndiUrlContext("java"), Action.ALLOWED, "builtin.allow jndi-local");
            assertDecision(evaluator.jndiUnreadable(), Action.BLOCKED, "jndi.allow (no match)");
        }

        @Test
        void gadgetClassesAreDeniedAndOrdinaryClassesAllowed() {
            PolicyEvaluator evaluator = evaluator("{\"version\":1}");
            assertDecision(
                    evaluator.deserialize("org.apache.commons.collections.functors.InvokerTransformer"),
                    Action.BLOCKED,
                    "builtin.deny gadget org.apache.commons.collections.functors.**");
            assertDecision(
                    evaluator.deserialize("[Lorg.apache.commons.collections4.functors.ChainedTransformer;"),
                    Action.BLOCKED,
                    "builtin.deny gadget org.apache.commons.collections4.functors.**");
            assertDecision(
                    evaluator.deserialize("com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl"),
                    Action.BLOCKED,
                    "builtin.deny gadget com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl");
            assertDecision(
                    evaluator.deserialize("bsh.XThis$Handler"), Action.BLOCKED, "builtin.deny gadget bsh.XThis*");
            assertDecision(evaluator.deserialize("java.util.HashMap"), Action.ALLOWED, "builtin.allow ordinary-class");
            assertDecision(evaluator.deserialize("[I"), Action.ALLOWED, "builtin.allow ordinary-class");
            assertDecision(
                    evaluator.deserialize("org.apache.commons.collections.map.LazyMap"),
                    Action.ALLOWED,
                    "builtin.allow ordinary-class");
        }

        @Test
        void allowEntriesExemptGadgetsOnlyWhenAtLeastAsSpecific() {
            PolicyEvaluator evaluator = evaluator("{\"version\":1,\"deserialization\":{\"allow\":[\"org.apache.**\","
                    + "\"com.sun.rowset.JdbcRowSetImpl\"],\"deny\":[\"com.example.legacy.*\"]}}");
            assertDecision(
                    evaluator.deserialize("org.apache.commons.collections.functors.InvokerTransformer"),
                    Action.BLOCKED,
                    "builtin.deny gadget org.apache.commons.collections.functors.**");
            assertDecision(
                    evaluator.deserialize("com.sun.rowset.JdbcRowSetImpl"),
                    Action.ALLOWED,
                    "builtin.allow ordinary-class");
            assertDecision(
                    evaluator.deserialize("com.example.legacy.Order"), Action.BLOCKED, "deserialization.deny[0]");
            assertDecision(
                    evaluator.deserialize("com.example.legacy.sub.Order"),
                    Action.ALLOWED,
                    "builtin.allow ordinary-class");
        }
    }

    @Nested
    class Modes {
        @Test
        void alertModeLetsViolationsThroughAndOffModeIsNoViolation() {
            PolicyEvaluator alert = evaluator("{\"version\":1,\"mode\":\"alert\"}");
            Decision alerted = alert.file(FileAccess.READ, "/etc/passwd");
            assertDecision(alerted, Action.ALERTED, "files.read (no match)");
            assertThat(alerted.permitted()).isTrue();
            assertThat(alerted.violation()).isTrue();
            assertThat(alerted.category()).isEqualTo(Category.FILE);

            Decision off = evaluator("{\"version\":1,\"mode\":\"off\"}").process(List.of("sh"));
            assertDecision(off, Action.ALLOWED, "processes.allow (no match)");
            assertThat(off.violation()).isFalse();
        }

        @Test
        void sectionModeOverridesTopLevelAndDenyModeAppliesToDenyAndBuiltIns() throws PolicyException {
            Policy policy = Policy.parse(
                    "{\"version\":1,\"mode\":\"alert\",\"processes\":{\"mode\":\"block\"},"
                            + "\"network\":{\"denyMode\":\"block\",\"deny\":[\"203.0.113.0/24\"]}}",
                    "test");
            assertThat(policy.mode(Category.PROCESS)).isEqualTo(Mode.BLOCK);
            assertThat(policy.mode(Category.NETWORK)).isEqualTo(Mode.ALERT);
            assertThat(policy.denyMode(Category.NETWORK)).isEqualTo(Mode.BLOCK);
            assertThat(policy.denyMode(Category.FILE)).isEqualTo(Mode.ALERT);
            PolicyEvaluator evaluator = new PolicyEvaluator(policy, LAMBDA);
            assertDecision(evaluator.process(List.of("sh")), Action.BLOCKED, "processes.allow (no match)");
            assertDecision(evaluator.connect(null, ip("192.0.2.1"), 80), Action.ALERTED, "network.allow (no match)");
            assertDecision(evaluator.connect(null, ip("203.0.113.1"), 80), Action.BLOCKED, "network.deny[0]");
            assertDecision(evaluator.connect(null, ip("169.254.169.254"), 80), Action.BLOCKED, "builtin.deny metadata");
            assertDecision(
                    evaluator.file(FileAccess.READ, "/proc/1/environ"),
                    Action.ALERTED,
                    "builtin.deny /proc/**/environ");
        }

        @Test
        void modeOverrideReplacesEveryModeIncludingDenyMode() throws PolicyException {
            Policy policy = Policy.parse(
                    "{\"version\":1,\"mode\":\"alert\",\"network\":{\"denyMode\":\"block\"},"
                            + "\"processes\":{\"mode\":\"block\"}}",
                    "test");
            Policy off = policy.withModeOverride(Mode.OFF);
            for (Category category : Category.values()) {
                assertThat(off.mode(category)).isEqualTo(Mode.OFF);
                assertThat(off.denyMode(category)).isEqualTo(Mode.OFF);
            }
            PolicyEvaluator evaluator = new PolicyEvaluator(off, LAMBDA);
            assertDecision(evaluator.connect(null, ip("169.254.169.254"), 80), Action.ALLOWED, "builtin.deny metadata");
            PolicyEvaluator alert = new PolicyEvaluator(policy.withModeOverride(Mode.ALERT), LAMBDA);
            assertDecision(alert.connect(null, ip("169.254.169.254"), 80), Action.ALERTED, "builtin.deny metadata");
            assertDecision(alert.process(List.of("sh")), Action.ALERTED, "processes.allow (no match)");
            assertThat(policy.mode(Category.PROCESS))
                    .as("the original is unchanged")
                    .isEqualTo(Mode.BLOCK);
        }

        @Test
        void baselineOnlyBlocksEverythingButTheBaseline() {
            Policy policy = Policy.baselineOnly();
            for (Category category : Category.values()) {
                assertThat(policy.mode(category)).isEqualTo(Mode.BLOCK);
            }
            PolicyEvaluator evaluator = new PolicyEvaluator(policy, LAMBDA);
            assertDecision(evaluator.connect(null, ip("127.0.0.1"), 9001), Action.ALLOWED, "baseline");
            assertDecision(evaluator.file(FileAccess.READ, "/var/task/app.jar"), Action.ALLOWED, "baseline");
            assertDecision(evaluator.connect(null, ip("192.0.2.1"), 443), Action.BLOCKED, "network.allow (no match)");
            assertDecision(evaluator.resolve("example.com"), Action.BLOCKED, "dns.allow (no match)");
            assertDecision(evaluator.file(FileAccess.WRITE, "/tmp/x"), Action.BLOCKED, "files.write (no match)");
            assertDecision(evaluator.jndi("ldap://x/"), Action.BLOCKED, "jndi.allow (no match)");
            assertThat(Policy.baselineOnly().toJson()).contains("\"mode\":\"block\"");
        }
    }

    @Nested
    class Caching {
        @Test
        void repeatedQuestionsGetTheIdenticalDecisionInstance() {
            PolicyEvaluator evaluator = evaluator("{\"version\":1,\"network\":{\"allow\":[\"api.example:443\"]}}");
            InetAddress address = ip("192.0.2.1");
            assertThat(evaluator.connect("api.example", address, 443))
                    .isSameAs(evaluator.connect("api.example", ip("192.0.2.1"), 443));
            assertThat(evaluator.resolve("api.example")).isSameAs(evaluator.resolve("api.example"));
            assertThat(evaluator.file(FileAccess.READ, "/etc/passwd"))
                    .isSameAs(evaluator.file(FileAccess.READ, "/etc/passwd"));
            assertThat(evaluator.process(List.of("sh"))).isSameAs(evaluator.process(List.of("sh", "-c")));
            assertThat(evaluator.loadNative("/tmp/x.so")).isSameAs(evaluator.loadNative("/tmp/x.so"));
            assertThat(evaluator.jndi("ldap://x/")).isSameAs(evaluator.jndi("ldap://x/"));
            assertThat(evaluator.deserialize("java.util.HashMap")).isSameAs(evaluator.deserialize("java.util.HashMap"));
            assertThat(evaluator.cachedDecisions(Category.FILE)).isEqualTo(1);
            assertThat(evaluator.cachedDecisions(Category.NETWORK)).isEqualTo(1);
        }

        @Test
        void cachesAreBoundedAndDecideCorrectlyBeyondTheBound() {
            PolicyEvaluator evaluator = evaluator("{\"version\":1,\"files\":{\"read\":[\"/data/**\"]}}");
            int beyond = DecisionCache.MAX_ENTRIES + 500;
            for (int i = 0; i < beyond; i++) {
                assertThat(evaluator.file(FileAccess.READ, "/data/" + i).action())
                        .isEqualTo(Action.ALLOWED);
                evaluator.resolve("host" + i + ".example");
                evaluator.jndi("ldap://h/" + i);
                evaluator.deserialize("com.example.C" + i);
                evaluator.connect(null, ip("10.0." + (i / 256) + "." + (i % 256)), 443);
            }
            assertThat(evaluator.file(FileAccess.READ, "/data/last"))
                    .extracting(Decision::action)
                    .isEqualTo(Action.ALLOWED);
            assertThat(evaluator.file(FileAccess.READ, "/elsewhere"))
                    .extracting(Decision::action)
                    .isEqualTo(Action.BLOCKED);
            for (Category category : Category.values()) {
                assertThat(evaluator.cachedDecisions(category))
                        .as("cache of %s", category)
                        .isLessThanOrEqualTo(DecisionCache.MAX_ENTRIES);
            }
            assertThat(evaluator.cachedDecisions(Category.FILE)).isEqualTo(DecisionCache.MAX_ENTRIES);
        }

        @Test
        void portsPerAddressAreBounded() {
            PolicyEvaluator evaluator = evaluator("{\"version\":1,\"network\":{\"allow\":[\"192.0.2.1:100\"]}}");
            InetAddress address = ip("192.0.2.1");
            for (int port = 1; port <= 200; port++) {
                assertThat(evaluator.connect(null, address, port).permitted())
                        .as("port %s", port)
                        .isEqualTo(port == 100);
            }
            assertThat(evaluator.cachedDecisions(Category.NETWORK)).isEqualTo(ConnectCache.MAX_PORTS_PER_ADDRESS);
        }
    }

    @Nested
    class Inbound {
        final PolicyEvaluator evaluator = evaluator("{\"version\":1,\"network\":{\"allow\":[\"10.0.0.0/8\"],"
                + "\"deny\":[\"10.9.0.0/16\"],\"listen\":[\"8080\",\"9000-9099\"],\"accept\":[\"10.0.0.0/8\","
                + "\"127.0.0.1:5000\"]}}");

        @Test
        void listeningNeedsTheLocalPortListed() {
            assertDecision(evaluator.listen(8080), Action.ALLOWED, "network.listen[0]");
            assertDecision(evaluator.listen(9050), Action.ALLOWED, "network.listen[1]");
            assertDecision(evaluator.listen(4444), Action.BLOCKED, "network.listen (no match)");
            assertDecision(evaluator.listen(0), Action.BLOCKED, "network.listen (no match)");
            assertDecision(evaluator("{\"version\":1}").listen(0), Action.BLOCKED, "network.listen (no match)");
        }

        @Test
        void acceptingNeedsThePeerListedAndNetworkDenyWins() {
            assertDecision(evaluator.accept(ip("10.1.2.3"), 40000), Action.ALLOWED, "network.accept[0]");
            assertDecision(evaluator.accept(ip("127.0.0.1"), 5000), Action.ALLOWED, "network.accept[1]");
            assertDecision(evaluator.accept(ip("127.0.0.1"), 5001), Action.BLOCKED, "network.accept (no match)");
            assertDecision(evaluator.accept(ip("10.9.1.1"), 40000), Action.BLOCKED, "network.deny[0]");
            assertDecision(evaluator.accept(ip("192.0.2.7"), 40000), Action.BLOCKED, "network.accept (no match)");
        }
    }
}
