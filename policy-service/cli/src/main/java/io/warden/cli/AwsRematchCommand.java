package io.warden.cli;

import io.warden.aws.findings.FindingListener;
import io.warden.aws.findings.FindingStore;
import io.warden.aws.scan.Rematch;
import io.warden.aws.scan.ScanReport;
import io.warden.aws.scan.ScanSettings;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import io.warden.service.store.dynamodb.DynamoDbFindingStore;
import io.warden.service.store.dynamodb.ServiceTables;
import io.warden.service.store.sqlite.SqliteStore;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code warden aws rematch}: the stored inventory matched against the advisory database again. */
@Command(
        name = "rematch",
        mixinStandardHelpOptions = true,
        description = {
            "After `warden db import`: matches every package inventory a scan stored against the advisory"
                    + " database again and updates the findings of the functions and layers using them. The inventory is"
                    + " the one `warden aws scan --data-dir` kept in a data directory (--data-dir), or the one the"
                    + " deployed stack's scan functions keep in its DynamoDB tables (--table-prefix, credentials from"
                    + " the usual AWS places). Nothing is downloaded and no Lambda function is read. Prints the findings"
                    + " that are new.",
            "Exit status: 0 re-matched, 1 some packages could not be re-matched (listed), 2 usage error or the"
                    + " re-match could not run."
        })
final class AwsRematchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    StoreOptions store;

    /** Where the inventory is: exactly one of a data directory and the deployed tables. */
    static final class StoreOptions {
        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                required = true,
                description = "The data directory `warden aws scan --data-dir` wrote into.")
        Path dataDirectory;

        @ArgGroup(exclusive = false, multiplicity = "1")
        TableOptions tables;
    }

    /** The deployed stack's DynamoDB tables. */
    static final class TableOptions {
        @Option(
                names = "--table-prefix",
                paramLabel = "PREFIX",
                required = true,
                description = {
                    "The prefix of the deployed stack's tables <PREFIX>findings and <PREFIX>packages: the"
                            + " stack's name followed by '-' (the scan functions' " + ServiceTables.TABLE_PREFIX + ", "
                            + ServiceTables.DEFAULT_TABLE_PREFIX + " for a stack named warden)."
                })
        String tablePrefix;

        @Option(
                names = "--region",
                paramLabel = "REGION",
                description = "The tables' region (default: the SDK's, AWS_REGION or the profile's).")
        String region;

        @Option(
                names = "--endpoint-url",
                paramLabel = "URL",
                description = "Send the DynamoDB calls to this endpoint instead of AWS's (DynamoDB Local).")
        URI endpoint;
    }

    @Option(
            names = "--db",
            paramLabel = "DIR",
            description = "The advisory database directory (default: ~/.warden/db).")
    Path db;

    @Override
    public Integer call() {
        Path dbDir = db != null ? db : VulnerabilityStore.defaultDirectory();
        if (!Files.isRegularFile(dbDir.resolve(VulnerabilityStore.FILE_NAME))) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "no advisory database in " + dbDir + "; create it with: warden db import PATH");
        }
        Path dataDirectory = store.dataDirectory;
        if (dataDirectory != null && !Files.isRegularFile(dataDirectory.resolve(SqliteStore.FILE_NAME))) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--data-dir " + dataDirectory + " holds no store; scan into it first: warden aws scan --data-dir "
                            + dataDirectory);
        }
        String region = dataDirectory == null ? region(store.tables) : null;
        PrintWriter out = spec.commandLine().getOut();
        try (SqliteStore database = dataDirectory == null ? null : SqliteStore.open(dataDirectory);
                DynamoDbClient dynamo =
                        dataDirectory != null ? null : ServiceTables.client(region, null, store.tables.endpoint);
                VulnerabilityStore advisories = VulnerabilityStore.open(dbDir)) {
            FindingStore findings = database != null ? database.findings() : tables(dynamo, region);
            ScanReport report = Rematch.run(findings, advisories, FindingListener.NONE);
            AwsScanCommand.table(out, AwsScanCommand.sorted(report.newFindings()), report.failures());
            out.printf(
                    "%d functions and %d layers re-matched against the advisories imported %s: %d new findings%n",
                    report.functionsScanned(),
                    report.layersScanned(),
                    advisories.importedAt().map(Object::toString).orElse("(never)"),
                    report.newFindings().size());
            out.flush();
            return report.failures().isEmpty() ? 0 : 1;
        } catch (CommandLine.ParameterException e) {
            throw e;
        } catch (Exception e) {
            spec.commandLine().getErr().println("warden aws rematch: " + e.getMessage());
            return 2;
        }
    }

    /** --region, or the SDK's default region when the tables are AWS's. */
    private String region(TableOptions tables) {
        if (tables.region != null) {
            if (!ScanSettings.isRegion(tables.region)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "not an AWS region: '" + tables.region + "'");
            }
            return tables.region;
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkClientException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "no region for --table-prefix: give" + " --region, or set AWS_REGION or the profile's region");
        }
    }

    /** The finding store on the prefix's tables, which must exist. */
    private FindingStore tables(DynamoDbClient dynamo, String region) {
        TableOptions tables = store.tables;
        DynamoDbFindingStore findings = new DynamoDbFindingStore(dynamo, tables.tablePrefix);
        List<String> missing = findings.missingTables();
        if (!missing.isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--table-prefix " + tables.tablePrefix
                            + ": no DynamoDB table " + String.join(" or ", missing) + " in " + region
                            + (tables.endpoint != null ? " at " + tables.endpoint : "")
                            + "; give the prefix of the deployed stack's tables, its name followed by '-'");
        }
        return findings;
    }
}
