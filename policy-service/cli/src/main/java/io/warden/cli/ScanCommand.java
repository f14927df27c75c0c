package io.warden.cli;

import io.warden.scanner.PackageScanner;
import io.warden.scanner.ScanResult;
import io.warden.scanner.Severity;
import io.warden.scanner.report.ReportFormat;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code warden scan}: what a function or layer package contains, its known vulnerabilities and secrets. */
@Command(
        name = "scan",
        mixinStandardHelpOptions = true,
        description = {
            "Scans a function or layer package (zip, jar, war or directory) for components, known"
                    + " vulnerabilities and secrets.",
            "Exit status: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage error or the scan"
                    + " could not run."
        })
final class ScanCommand implements Callable<Integer> {
    private static final long PROGRESS_INTERVAL_MILLIS = 200;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "The package: a zip, jar, war or directory.")
    Path path;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "table",
            converter = FormatConverter.class,
            description = "table (default), json, sarif or cyclonedx.")
    ReportFormat format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE instead of the terminal.")
    Path output;

    @Option(
            names = "--fail-on",
            paramLabel = "SEVERITY",
            converter = SeverityConverter.class,
            description = "Exit with 1 when a vulnerability or secret is at least this severe: low, medium, high or"
                    + " critical.")
    Severity failOn;

    @Option(
            names = "--handler",
            paramLabel = "HANDLER",
            description = "The function's handler (com.example.Handler::handleRequest): the archive holding it is"
                    + " searched for secrets even when it names itself as a published artifact.")
    String handler;

    @Option(
            names = "--db",
            paramLabel = "DIR",
            description = "The advisory database directory (default: ~/.warden/db).")
    Path db;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.exists(path)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no such file or directory: " + path);
        }
        Path dbDir = db != null ? db : VulnerabilityStore.defaultDirectory();
        boolean haveDb = Files.isRegularFile(dbDir.resolve(VulnerabilityStore.FILE_NAME));
        if (!haveDb && (db != null || failOn != null)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "no advisory database in " + dbDir + "; create it with: warden db import PATH"
                            + (db != null ? " --db " + db : ""));
        }
        if (!haveDb) {
            err.println("warden: no advisory database in " + dbDir + ": vulnerabilities are not checked"
                    + " (create it with: warden db import PATH)");
        }
        try (VulnerabilityStore store = haveDb ? VulnerabilityStore.open(dbDir) : null) {
            PackageScanner scanner = new PackageScanner(store).handler(handler);
            Progress progress = System.console() != null ? new Progress(err) : null;
            if (progress != null) {
                scanner.onArchive(progress::show);
            }
            ScanResult result = scanner.scan(path);
            if (progress != null) {
                progress.clear();
            }
            ByteArrayOutputStream report = new ByteArrayOutputStream();
            format.write(result, report);
            if (output == null) {
                PrintWriter out = spec.commandLine().getOut();
                out.print(report.toString(StandardCharsets.UTF_8));
                out.flush();
            } else {
                writeAtomically(output, report.toByteArray());
            }
            return failOn != null && result.hasFindingsAtLeast(failOn) ? 1 : 0;
        } catch (IOException | RuntimeException e) {
            err.println("warden scan: " + e.getMessage());
            return 2;
        }
    }

    /** The report appears whole or not at all. */
    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path temp = Files.createTempFile(absolute.getParent(), ".warden-report", ".tmp");
        try {
            Files.write(temp, content);
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** One line on the terminal, rewritten at most every {@value #PROGRESS_INTERVAL_MILLIS} ms. */
    private static final class Progress {
        private final PrintWriter err;
        private long archives;
        private long lastShown;
        private int lastWidth;

        Progress(PrintWriter err) {
            this.err = err;
        }

        void show(String location) {
            archives++;
            long now = System.currentTimeMillis();
            if (now - lastShown < PROGRESS_INTERVAL_MILLIS) {
                return;
            }
            lastShown = now;
            String line = "scanning (" + archives + " archives): " + shorten(location);
            err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            err.flush();
            lastWidth = line.length();
        }

        void clear() {
            if (lastWidth > 0) {
                err.print("\r" + " ".repeat(lastWidth) + "\r");
                err.flush();
            }
        }

        private static String shorten(String location) {
            return location.length() <= 100 ? location : "..." + location.substring(location.length() - 97);
        }
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<ReportFormat> {
        @Override
        public ReportFormat convert(String value) {
            try {
                return ReportFormat.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a format; use table, json, sarif or cyclonedx");
            }
        }
    }

    static final class SeverityConverter implements CommandLine.ITypeConverter<Severity> {
        @Override
        public Severity convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "low" -> Severity.LOW;
                case "medium" -> Severity.MEDIUM;
                case "high" -> Severity.HIGH;
                case "critical" -> Severity.CRITICAL;
                default ->
                    throw new CommandLine.TypeConversionException(
                            "'" + value + "' is not a severity; use low, medium, high or critical");
            };
        }
    }
}
