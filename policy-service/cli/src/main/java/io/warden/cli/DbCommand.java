package io.warden.cli;

import io.warden.scanner.vuln.store.VulnerabilityStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code warden db}: the local advisory database. */
@Command(
        name = "db",
        mixinStandardHelpOptions = true,
        description = "Manages the local advisory database.",
        subcommands = DbCommand.Import.class)
final class DbCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: import");
    }

    /** {@code warden db import PATH}: loads OSV advisories into the database. */
    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = {
                "Imports OSV advisories: an all.zip export (Maven, npm, PyPI), a directory of OSV JSON"
                        + " files, or one file. Records replace earlier ones with the same id; withdrawn records remove"
                        + " them. All or nothing. With --rematch-data-dir, the AWS inventory kept there is then matched"
                        + " against the new advisories (as `warden aws rematch --data-dir` does).",
                "Exit status: 0 imported (and re-matched), 1 imported but some packages could not be re-matched,"
                        + " 2 usage error or the import failed (the database is unchanged)."
            })
    static final class Import implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "PATH", description = "An OSV all.zip, a directory or a .json file.")
        Path source;

        @Option(
                names = "--db",
                paramLabel = "DIR",
                description = "The advisory database directory (default: ~/.warden/db).")
        Path db;

        @Option(
                names = "--rematch-data-dir",
                paramLabel = "DIR",
                description = "After the import, re-match the inventory `warden aws scan --data-dir DIR` stored.")
        Path rematchDataDirectory;

        @Override
        public Integer call() {
            if (!Files.exists(source)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no such file or directory: " + source);
            }
            Path dbDir = db != null ? db : VulnerabilityStore.defaultDirectory();
            PrintWriter out = spec.commandLine().getOut();
            try (VulnerabilityStore store = VulnerabilityStore.openForImport(dbDir)) {
                VulnerabilityStore.ImportSummary summary = store.importOsv(source);
                out.printf(
                        "imported %d OSV records from %s into %s: %d advisories stored, %d withdrawn; %d in the"
                                + " database (imported %s)%n",
                        summary.records(),
                        source,
                        store.file(),
                        summary.stored(),
                        summary.withdrawn(),
                        store.advisoryCount(),
                        summary.importedAt());
                out.flush();
            } catch (IOException | RuntimeException e) {
                spec.commandLine().getErr().println("warden db import: " + e.getMessage());
                return 2;
            }
            if (rematchDataDirectory == null) {
                return 0;
            }
            CommandLine rematch = new CommandLine(new AwsRematchCommand())
                    .setOut(out)
                    .setErr(spec.commandLine().getErr());
            return rematch.execute("--data-dir", rematchDataDirectory.toString(), "--db", dbDir.toString());
        }
    }
}
