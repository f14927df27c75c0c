package io.warden.scanner.report;

import io.warden.scanner.ScanResult;
import io.warden.scanner.archive.Unscannable;
import io.warden.scanner.catalog.Component;
import io.warden.scanner.secrets.SecretFinding;
import io.warden.scanner.vuln.Vulnerability;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A plain-text report for a person: vulnerabilities first (most severe first), then secrets, gaps and components. */
final class TableReport implements ReportFormat.ReportWriter {
    @Override
    public void write(ScanResult result, OutputStream out) throws IOException {
        PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
        w.printf(
                "%s: %d components, %d vulnerabilities, %d secrets, %d unscannable%n",
                result.target(),
                result.components().size(),
                result.vulnerabilities().size(),
                result.secrets().size(),
                result.unscannable().size());
        w.println(
                result.databaseImportedAt() == null
                        ? "Vulnerabilities were not checked: no advisory database."
                        : "Advisory database imported " + result.databaseImportedAt() + ".");

        List<Vulnerability> vulnerabilities = new ArrayList<>(result.vulnerabilities());
        vulnerabilities.sort(
                Comparator.comparing((Vulnerability v) -> v.advisory().severity())
                        .reversed()
                        .thenComparing(v -> v.component().name())
                        .thenComparing(v -> v.advisory().id()));
        List<List<String>> rows = new ArrayList<>();
        for (Vulnerability v : vulnerabilities) {
            rows.add(List.of(
                    v.advisory().severity().name(),
                    v.advisory().id(),
                    String.join(",", v.advisory().aliases()),
                    v.component().name(),
                    v.versionUnknown() ? "unknown" : v.component().version(),
                    String.join(",", v.fixedIn()),
                    v.component().location()));
        }
        section(
                w,
                "VULNERABILITIES",
                List.of("SEVERITY", "ID", "ALIASES", "PACKAGE", "VERSION", "FIXED IN", "LOCATION"),
                rows);

        rows = new ArrayList<>();
        for (SecretFinding s : result.secrets()) {
            rows.add(List.of(
                    s.severity().name(),
                    s.title(),
                    s.masked(),
                    s.line() > 0 ? s.location() + ":" + s.line() : s.location()));
        }
        section(w, "SECRETS", List.of("SEVERITY", "KIND", "VALUE (MASKED)", "LOCATION"), rows);

        rows = new ArrayList<>();
        for (Unscannable u : result.unscannable()) {
            rows.add(List.of(u.location(), u.reason()));
        }
        section(w, "UNSCANNABLE", List.of("LOCATION", "WHY"), rows);

        rows = new ArrayList<>();
        for (Component c : result.components()) {
            rows.add(List.of(
                    c.ecosystem().osvName(),
                    c.name(),
                    version(c),
                    c.confidence().lowerCase(),
                    c.evidence().isEmpty() ? "" : c.evidence().get(0).source(),
                    (c.embeddedIn() == null ? c.location() : c.location() + " (embedded)")
                            + (c.unresolved() == null ? "" : " [" + c.unresolved() + "]")));
        }
        section(
                w,
                "COMPONENTS",
                List.of("ECOSYSTEM", "PACKAGE", "VERSION", "CONFIDENCE", "EVIDENCE", "LOCATION"),
                rows);
        w.flush();
    }

    private static String version(Component c) {
        if (c.version() != null) {
            return c.version();
        }
        return c.possibleVersions().isEmpty() ? "unknown" : "one of " + String.join(",", c.possibleVersions());
    }

    private static void section(PrintWriter w, String title, List<String> header, List<List<String>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        w.println();
        w.println(title);
        int[] widths = new int[header.size()];
        for (List<String> row : concat(header, rows)) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : concat(header, rows)) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            w.println(line.toString().stripTrailing());
        }
    }

    private static List<List<String>> concat(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }
}
