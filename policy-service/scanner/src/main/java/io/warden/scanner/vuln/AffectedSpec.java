package io.warden.scanner.vuln;

import java.util.List;

/**
 * What decides, for one package of one OSV record, whether a version is affected: the record's {@code ranges}, its
 * explicit {@code versions}, and GitHub's {@code database_specific.last_known_affected_version_range} (used only to close
 * a range that the data leaves open at the top; see {@link OsvEvaluator}).
 */
public record AffectedSpec(List<Range> ranges, List<String> versions, String lastKnownAffectedRange) {

    public AffectedSpec {
        ranges = List.copyOf(ranges);
        versions = List.copyOf(versions);
    }

    /** An OSV range: its type ({@code ECOSYSTEM}, {@code SEMVER}, {@code GIT}) and events in record order. */
    public record Range(String type, List<Event> events) {
        public Range {
            events = List.copyOf(events);
        }
    }

    /** One event: {@code introduced}, {@code fixed}, {@code last_affected} or {@code limit}, and its version. */
    public record Event(String kind, String version) {}
}
