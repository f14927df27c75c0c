package io.warden.scanner.secrets;

import static io.warden.scanner.TestPackages.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.scanner.PackageScanner;
import io.warden.scanner.ScanResult;
import io.warden.scanner.Severity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("fast")
class SecretScannerTest {
    // Built at run time so that this source file itself holds no secret-shaped literal.
    static final String KEY_ID = "AKIA" + "QYLPMN5HXTVW2ZKD";
    static final String SECRET = "k9Fz/2Qw" + "Lr8Xv4Tn+Hb6Jm1Pc3Sd" + "7Ge0Ya5Uo2Wi";
    static final String GITHUB = "ghp_" + "R4nd0mT0k3nV4lu3Xq9Zw8Yb7Lc6Mk5Jh2Gf";
    static final String KEY_BODY = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
            + "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n"
            + "LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo\n"
            + "9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvre\n";

    @TempDir
    Path dir;

    static ScanResult scan(Map<String, byte[]> entries) throws IOException {
        return new PackageScanner(null).scan(new ByteArrayInputStream(zip(entries)), "fn.zip");
    }

    @Test
    void awsKeyIdWithItsSecretInATextFileIsOneMaskedFinding() throws IOException {
        String credentials = "[default]\naws_access_key_id = " + KEY_ID + "\naws_secret_access_key = " + SECRET + "\n";
        ScanResult result = scan(Map.of("config/credentials", credentials.getBytes(StandardCharsets.UTF_8)));
        assertThat(result.secrets()).singleElement().satisfies(s -> {
            assertThat(s.rule()).isEqualTo("aws-access-key-pair");
            assertThat(s.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(s.location()).isEqualTo("fn.zip!/config/credentials");
            assertThat(s.line()).isEqualTo(2);
            assertThat(s.masked())
                    .startsWith("AKIA")
                    .doesNotContain(KEY_ID)
                    .doesNotContain(SECRET)
                    .contains(" / " + SECRET.substring(0, 4));
        });
    }

    @Test
    void documentedExampleKeysAreAllowlisted() throws IOException {
        String docs =
                "aws_access_key_id=AKIAIOSFODNN7EXAMPLE\naws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
        assertThat(scan(Map.of("README.md", docs.getBytes(StandardCharsets.UTF_8)))
                        .secrets())
                .isEmpty();
    }

    @Test
    void privateKeysWithABodyAndTokensAreFoundButPlaceholdersAndBareHeadersAreNot() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(
                "keys/server.pem",
                ("-----BEGIN RSA PRIVATE KEY-----\n" + KEY_BODY + "-----END RSA PRIVATE KEY-----\n")
                        .getBytes(StandardCharsets.UTF_8));
        entries.put(
                "app.env",
                ("GITHUB_TOKEN=" + GITHUB + "\nOTHER=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n")
                        .getBytes(StandardCharsets.UTF_8));
        entries.put(
                "docs/pem.txt",
                "parsers look for -----BEGIN RSA PRIVATE KEY----- headers".getBytes(StandardCharsets.UTF_8));
        ScanResult result = scan(entries);
        assertThat(result.secrets())
                .extracting(SecretFinding::rule, SecretFinding::location)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("private-key", "fn.zip!/keys/server.pem"),
                        org.assertj.core.groups.Tuple.tuple("github-token", "fn.zip!/app.env"));
        assertThat(result.secrets())
                .allSatisfy(
                        s -> assertThat(s.masked()).doesNotContain(GITHUB).doesNotContain(KEY_BODY.substring(0, 64)));
    }

    @Test
    void stringConstantsOfClassFilesAreScanned() throws IOException {
        Path source = dir.resolve("Handler.java");
        Files.writeString(
                source,
                "public class Handler {\n"
                        + "  static final String ID = \"" + KEY_ID + "\";\n"
                        + "  static final String KEY = \"" + SECRET + "\";\n"
                        + "  static final String TOKEN = \"" + GITHUB + "\";\n"
                        + "  public String handle() { return ID + KEY + TOKEN; }\n}\n");
        int status =
                ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), source.toString());
        assertThat(status).isZero();
        byte[] classFile = Files.readAllBytes(dir.resolve("Handler.class"));
        ScanResult result = scan(Map.of("lib/app.jar", zip(Map.of("com/example/Handler.class", classFile))));
        assertThat(result.secrets())
                .extracting(SecretFinding::rule)
                .containsExactlyInAnyOrder("aws-access-key-pair", "github-token");
        assertThat(result.secrets()).allSatisfy(s -> {
            assertThat(s.location()).isEqualTo("fn.zip!/lib/app.jar!/com/example/Handler.class");
            assertThat(s.masked()).doesNotContain(KEY_ID).doesNotContain(SECRET).doesNotContain(GITHUB);
        });
    }

    /**
     * A function built by Maven: its own jar carries {@code pom.properties} like any library. Once the handler is known,
     * that jar is searched, read through its central directory or as a stream; the libraries beside it are not.
     */
    @Test
    void theJarHoldingTheHandlerIsSearchedWhateverMetadataItCarries() throws IOException {
        String credentials = "aws.accessKeyId=" + KEY_ID + "\naws.secretAccessKey=" + SECRET + "\n";
        Map<String, byte[]> own = new LinkedHashMap<>();
        own.put(
                "META-INF/maven/com.example/orders/pom.properties",
                "groupId=com.example\nartifactId=orders\nversion=1.0\n".getBytes(StandardCharsets.UTF_8));
        own.put("com/example/orders/Handler.class", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
        own.put("application.properties", credentials.getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> library = new LinkedHashMap<>();
        library.put(
                "META-INF/maven/org.other/lib/pom.properties",
                "groupId=org.other\nartifactId=lib\nversion=2.0\n".getBytes(StandardCharsets.UTF_8));
        library.put("application.properties", credentials.getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("lib/orders-1.0.jar", zip(own));
        entries.put("lib/lib-2.0.jar", zip(library));
        Path file = dir.resolve("fn.zip");
        Files.write(file, zip(entries));

        assertThat(new PackageScanner(null).scan(file).secrets()).isEmpty();
        for (String handler :
                new String[] {"com.example.orders.Handler::handleRequest", "com.example.orders.Handler"}) {
            PackageScanner scanner = new PackageScanner(null).handler(handler);
            for (ScanResult result : new ScanResult[] {
                scanner.scan(file), scanner.scan(new ByteArrayInputStream(Files.readAllBytes(file)), "fn.zip")
            }) {
                assertThat(result.secrets()).singleElement().satisfies(s -> {
                    assertThat(s.rule()).isEqualTo("aws-access-key-pair");
                    assertThat(s.location()).isEqualTo("fn.zip!/lib/orders-1.0.jar!/application.properties");
                });
            }
        }
        assertThatThrownBy(() -> new PackageScanner(null).handler("not a class::x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Java handler");
    }

    @Test
    void entropyAndMasking() {
        assertThat(SecretScanner.entropy("aaaaaaaa")).isZero();
        assertThat(SecretScanner.entropy("abcdefgh")).isEqualTo(3.0);
        assertThat(SecretScanner.mask("AKIAQYLPMN5HXTVW2ZKD")).isEqualTo("AKIA****************");
    }
}
