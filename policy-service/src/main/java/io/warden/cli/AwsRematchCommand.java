package io.warden.cli;

import io.warden.aws.findings.FindingListener;
import io.warden.aws.scan.Rematch;
import io.warden.aws.scan.ScanReport;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import io.warden.service.store.sqlite.SqliteStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code warden aws rematch}: the stored inventory matched against the advisory database again. */
@Command(name = "rematch", mixinStandardHelpOptions = true,
        description = {"After `warden db import`: matches every package inventory that `warden aws scan --data-dir`"
                + " stored against the advisory database again and updates the findings of the functions and layers"
                + " using them. Nothing is downloaded and AWS is not called. Prints the findings that are new.",
            "Exit status: 0 re-matched, 1 some packages could not be re-matched (listed), 2 usage error or the"
                + " re-match could not run."})
final class AwsRematchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", required = true,
            description = "The data directory `warden aws scan --data-dir` wrote into.")
    Path dataDirectory;

    @Option(names = "--db", paramLabel = "DIR",
            description = "The advisory database directory (default: ~/.warden/db).")
    Path db;

    @Override
    public Integer call() {
        Path dbDir = db != null ? db : VulnerabilityStore.defaultDirectory();
        if (!Files.isRegularFile(dbDir.resolve(VulnerabilityStore.FILE_NAME))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no advisory database in " + dbDir
                    + "; create it with: warden db import PATH");
        }
        if (!Files.isRegularFile(dataDirectory.resolve(SqliteStore.FILE_NAME))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data-dir " + dataDirectory
                    + " holds no store; scan into it first: warden aws scan --data-dir " + dataDirectory);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (SqliteStore database = SqliteStore.open(dataDirectory);
                VulnerabilityStore advisories = VulnerabilityStore.open(dbDir)) {
            ScanReport report = Rematch.run(database.findings(), advisories, FindingListener.NONE);
            AwsScanCommand.table(out, AwsScanCommand.sorted(report.newFindings()), report.failures());
            out.printf("%d functions and %d layers re-matched against the advisories imported %s: %d new findings%n",
                    report.functionsScanned(), report.layersScanned(),
                    advisories.importedAt().map(Object::toString).orElse("(never)"), report.newFindings().size());
            out.flush();
            return report.failures().isEmpty() ? 0 : 1;
        } catch (Exception e) {
            spec.commandLine().getErr().println("warden aws rematch: " + e.getMessage());
            return 2;
        }
    }
}
