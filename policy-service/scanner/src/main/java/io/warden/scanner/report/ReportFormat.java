package io.warden.scanner.report;

import io.warden.scanner.ScanResult;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Supplier;

/** The report formats, each with its writer, in one place. */
public enum ReportFormat {
    TABLE(TableReport::new),
    JSON(JsonReport::new),
    SARIF(SarifReport::new),
    CYCLONEDX(CycloneDxReport::new);

    private final Supplier<ReportWriter> writer;

    ReportFormat(Supplier<ReportWriter> writer) {
        this.writer = writer;
    }

    public void write(ScanResult result, OutputStream out) throws IOException {
        writer.get().write(result, out);
    }

    /** Writes one scan result in one format. */
    interface ReportWriter {
        void write(ScanResult result, OutputStream out) throws IOException;
    }
}
