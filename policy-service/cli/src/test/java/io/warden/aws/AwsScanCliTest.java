package io.warden.aws;

import static io.warden.aws.AwsFixtures.HOME;
import static io.warden.aws.AwsFixtures.REGION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.aws.fake.FakeAws;
import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingListener;
import io.warden.aws.findings.FindingQuery;
import io.warden.aws.scan.AwsScanner;
import io.warden.cli.WardenCommand;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import io.warden.service.LocalService;
import io.warden.service.api.ServiceClient;
import io.warden.service.store.Dynalite;
import io.warden.service.store.dynamodb.DynamoDbFindingStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code warden aws scan} against the fake, with credentials where the SDK's default chain finds them (dynalite takes
 * the same); {@code warden aws rematch} on a data directory and on DynamoDB tables (dynalite).
 */
@ExtendWith(Dynalite.Resolver.class)
class AwsScanCliTest {
    @TempDir
    Path dbDir;

    FakeAws aws;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        aws = FakeAws.start(HOME);
        String log4j = aws.code(AwsFixtures.log4jFunction());
        aws.home().function(REGION, "orders").runtime("java21").code(log4j).url("NONE");
        aws.home().function(REGION, "reports").runtime("python3.13").code(aws.code(AwsFixtures.plainFunction("r")));
        System.setProperty("aws.accessKeyId", FakeAws.HOME_ACCESS_KEY);
        System.setProperty(
                "aws.secretAccessKey", aws.credentials().resolveCredentials().secretAccessKey());
        AwsFixtures.advisories(dbDir, "first").close();
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        aws.close();
    }

    private int run(String... args) {
        var cli = WardenCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void jsonReportHasTheInventoryAndTheFindings() throws Exception {
        int status = run(
                "aws",
                "scan",
                "--region",
                REGION,
                "--endpoint-url",
                aws.endpoint().toString(),
                "--db",
                dbDir.toString(),
                "--format",
                "json");
        assertThat(status).as(err.toString()).isZero();
        JsonNode report = new ObjectMapper().readTree(out.toString());
        assertThat(report.get("summary").get("functions").asInt()).isEqualTo(2);
        assertThat(report.get("summary").get("packagesDownloaded").asInt()).isEqualTo(2);
        assertThat(report.get("findings").findValuesAsText("rule"))
                .contains("GHSA-jfh8-c2jp-5v3q", "function-url-public", "warden-absent");
        assertThat(report.get("findings").get(0).get("severity").asText()).isEqualTo("critical");
    }

    @Test
    void tableForOneFunction() {
        int status = run(
                "aws",
                "scan",
                "--region",
                REGION,
                "--endpoint-url",
                aws.endpoint().toString(),
                "--db",
                dbDir.toString(),
                "--function",
                "reports");
        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("1 functions, 0 layers, 0 findings; 1 packages");
        assertThat(aws.calls("ListFunctions")).isZero();
    }

    @Test
    void usageErrorsNameTheValue() {
        assertThat(run(
                        "aws",
                        "scan",
                        "--region",
                        "moon-1",
                        "--endpoint-url",
                        aws.endpoint().toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("not an AWS region: 'moon-1'");
        assertThat(run("aws", "scan", "--region", REGION, "--format", "xml")).isEqualTo(2);
        assertThat(err.toString()).contains("'xml' is not a format");
        assertThat(run(
                        "aws",
                        "scan",
                        "--region",
                        REGION,
                        "--function",
                        "missing",
                        "--endpoint-url",
                        aws.endpoint().toString(),
                        "--db",
                        dbDir.toString()))
                .isEqualTo(1);
        assertThat(out.toString()).contains("not scanned: missing: no function named 'missing' in " + REGION);
    }

    @Test
    void aDataDirectoryKeepsTheScanForTheNextOneAndForWardenServe(@TempDir Path dataDir) throws Exception {
        String[] scan = {
            "aws",
            "scan",
            "--region",
            REGION,
            "--endpoint-url",
            aws.endpoint().toString(),
            "--db",
            dbDir.toString(),
            "--data-dir",
            dataDir.toString()
        };
        assertThat(run(scan)).as(err.toString()).isZero();
        int downloads = aws.totalDownloads();
        out.getBuffer().setLength(0);

        assertThat(run(scan)).as(err.toString()).isZero();

        assertThat(aws.totalDownloads())
                .as("known packages are not downloaded again")
                .isEqualTo(downloads);
        assertThat(out.toString())
                .contains("2 functions, 0 layers, ")
                .contains("0 packages and 0 layers downloaded")
                .contains("GHSA-jfh8-c2jp-5v3q");
        try (LocalService service =
                LocalService.start(dataDir, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null)) {
            ServiceClient client = new ServiceClient(service.baseUrl());
            JsonNode findings = ServiceClient.json(
                    client.get("/v1/findings?function=orders&type=vulnerability", service.adminToken())
                            .body());
            assertThat(findings.get("findings").findValuesAsText("rule")).containsExactly("GHSA-jfh8-c2jp-5v3q");
            assertThat(findings.at("/findings/0/resource").asText())
                    .isEqualTo(aws.home().functionArn(REGION, "orders"));
        }
    }

    @Test
    void rematchFindsTheNewAdvisoriesInTheStoredInventoryWithoutAws(@TempDir Path dataDir) throws Exception {
        assertThat(run(
                        "aws",
                        "scan",
                        "--region",
                        REGION,
                        "--endpoint-url",
                        aws.endpoint().toString(),
                        "--db",
                        dbDir.toString(),
                        "--data-dir",
                        dataDir.toString()))
                .as(err.toString())
                .isZero();
        int downloads = aws.totalDownloads();
        int listings = aws.calls("ListFunctions");
        AwsFixtures.advisories(dbDir, "second").close();
        out.getBuffer().setLength(0);

        assertThat(run("aws", "rematch", "--data-dir", dataDir.toString(), "--db", dbDir.toString()))
                .as(err.toString())
                .isZero();

        assertThat(out.toString())
                .contains("GHSA-7rjr-3q55-vv33")
                .doesNotContain("GHSA-jfh8-c2jp-5v3q")
                .contains("2 functions and 0 layers re-matched against the advisories imported ")
                .contains(": 1 new findings");
        assertThat(aws.totalDownloads()).isEqualTo(downloads);
        assertThat(aws.calls("ListFunctions")).isEqualTo(listings);
        out.getBuffer().setLength(0);
        assertThat(run("aws", "rematch", "--data-dir", dataDir.toString(), "--db", dbDir.toString()))
                .isZero();
        assertThat(out.toString()).contains(": 0 new findings");
    }

    @Test
    void anImportWithRematchDataDirMatchesTheStoredInventoryAgainstTheNewAdvisories(@TempDir Path dataDir)
            throws Exception {
        assertThat(run(
                        "aws",
                        "scan",
                        "--region",
                        REGION,
                        "--endpoint-url",
                        aws.endpoint().toString(),
                        "--db",
                        dbDir.toString(),
                        "--data-dir",
                        dataDir.toString()))
                .as(err.toString())
                .isZero();
        int downloads = aws.totalDownloads();
        out.getBuffer().setLength(0);

        assertThat(run(
                        "db",
                        "import",
                        AwsFixtures.resource("aws/osv/second").toString(),
                        "--db",
                        dbDir.toString(),
                        "--rematch-data-dir",
                        dataDir.toString()))
                .as(err.toString())
                .isZero();

        assertThat(out.toString())
                .contains("imported ")
                .contains("GHSA-7rjr-3q55-vv33")
                .contains("2 functions and 0 layers re-matched against the advisories imported ")
                .contains(": 1 new findings");
        assertThat(aws.totalDownloads()).isEqualTo(downloads);
    }

    @Test
    void rematchNeedsAStoreAndADatabase(@TempDir Path empty) {
        assertThat(run("aws", "rematch", "--data-dir", empty.toString(), "--db", dbDir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("holds no store; scan into it first");
        assertThat(run("aws", "rematch", "--data-dir", empty.toString(), "--db", empty.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("no advisory database in " + empty);
    }

    @Test
    void rematchOfTheDeployedTablesFindsTheNewAdvisoriesWithoutAws(Dynalite dynalite) throws Exception {
        String prefix = Dynalite.newTablePrefix();
        new DynamoDbFindingStore(dynalite.client(), prefix).createTables();
        try (VulnerabilityStore advisories = VulnerabilityStore.open(dbDir);
                AwsScanner scanner = new AwsScanner(
                        AwsFixtures.settings(aws),
                        aws.credentials(),
                        new DynamoDbFindingStore(dynalite.client(), prefix),
                        advisories,
                        FindingListener.NONE)) {
            assertThat(scanner.scanAll().failures()).isEmpty();
        }
        int downloads = aws.totalDownloads();
        int calls = aws.calls("ListFunctions") + aws.calls("GetFunction");
        AwsFixtures.advisories(dbDir, "second").close();
        String[] rematch = {
            "aws",
            "rematch",
            "--table-prefix",
            prefix,
            "--endpoint-url",
            dynalite.endpoint().toString(),
            "--region",
            "us-east-1",
            "--db",
            dbDir.toString()
        };

        assertThat(run(rematch)).as(err.toString()).isZero();

        assertThat(out.toString())
                .contains("GHSA-7rjr-3q55-vv33")
                .doesNotContain("GHSA-jfh8-c2jp-5v3q")
                .contains("2 functions and 0 layers re-matched against the advisories imported ")
                .contains(": 1 new findings");
        assertThat(aws.totalDownloads()).isEqualTo(downloads);
        assertThat(aws.calls("ListFunctions") + aws.calls("GetFunction")).isEqualTo(calls);
        assertThat(new DynamoDbFindingStore(dynalite.client(), prefix).findings(new FindingQuery("orders", null, null)))
                .extracting(Finding::rule)
                .contains("GHSA-jfh8-c2jp-5v3q", "GHSA-7rjr-3q55-vv33");
        out.getBuffer().setLength(0);
        assertThat(run(rematch)).as(err.toString()).isZero();
        assertThat(out.toString()).contains(": 0 new findings");
    }

    @Test
    void rematchTakesADataDirectoryOrTablesThatExist(@TempDir Path dataDir, Dynalite dynalite) {
        assertThat(run(
                        "aws",
                        "rematch",
                        "--data-dir",
                        dataDir.toString(),
                        "--table-prefix",
                        "warden-",
                        "--db",
                        dbDir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive");
        err.getBuffer().setLength(0);
        assertThat(run("aws", "rematch", "--db", dbDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required argument");
        err.getBuffer().setLength(0);
        assertThat(run("aws", "rematch", "--table-prefix", "warden-", "--region", "moon-1", "--db", dbDir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("not an AWS region: 'moon-1'");
        err.getBuffer().setLength(0);

        String prefix = Dynalite.newTablePrefix();
        assertThat(run(
                        "aws",
                        "rematch",
                        "--table-prefix",
                        prefix,
                        "--endpoint-url",
                        dynalite.endpoint().toString(),
                        "--region",
                        "us-east-1",
                        "--db",
                        dbDir.toString()))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("--table-prefix " + prefix + ": no DynamoDB table " + prefix
                        + "findings or " + prefix + "packages in us-east-1 at " + dynalite.endpoint()
                        + "; give the prefix of the deployed stack's tables, its name followed by '-'");
        assertThat(out.toString()).isEmpty();
    }
}
