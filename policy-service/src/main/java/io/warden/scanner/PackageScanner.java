package io.warden.scanner;

import io.warden.scanner.archive.Archive;
import io.warden.scanner.archive.ArchiveLimits;
import io.warden.scanner.archive.ArchiveVisitor;
import io.warden.scanner.archive.ArchiveWalker;
import io.warden.scanner.archive.Unscannable;
import io.warden.scanner.catalog.Cataloger;
import io.warden.scanner.catalog.Catalogers;
import io.warden.scanner.catalog.Component;
import io.warden.scanner.secrets.SecretFinding;
import io.warden.scanner.secrets.SecretScanner;
import io.warden.scanner.vuln.Vulnerability;
import io.warden.scanner.vuln.VulnerabilityMatcher;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Scans a function or layer package: the components it contains (with evidence), the known vulnerabilities of those
 * components, the secrets it carries, and the parts that could not be read. Usable without the command line; one
 * instance scans one package at a time.
 */
public final class PackageScanner {
    private final VulnerabilityStore store;
    private final VulnerabilityMatcher matcher;
    private final List<Cataloger> catalogers = Catalogers.all();
    private final SecretScanner secretScanner = new SecretScanner();
    private final ArchiveLimits limits;
    private Consumer<String> progress = location -> { };

    /** @param store the advisory database, or null to identify components and secrets only */
    public PackageScanner(VulnerabilityStore store) {
        this(store, ArchiveLimits.DEFAULT);
    }

    public PackageScanner(VulnerabilityStore store, ArchiveLimits limits) {
        this.store = store;
        this.matcher = store == null ? null : new VulnerabilityMatcher(store);
        this.limits = limits;
    }

    /** Receives the location of each archive as its reading starts (for a progress line). */
    public PackageScanner onArchive(Consumer<String> listener) {
        this.progress = listener;
        return this;
    }

    public ScanResult scan(Path path) throws IOException {
        Collector collector = new Collector();
        ArchiveWalker.walk(path, collector, limits);
        return result(path.getFileName() == null ? path.toString() : path.getFileName().toString(), collector);
    }

    /** Scans a package read from a stream (not closed here); {@code name} is its file name. */
    public ScanResult scan(InputStream in, String name) throws IOException {
        Collector collector = new Collector();
        ArchiveWalker.walk(in, name, collector, limits);
        return result(name, collector);
    }

    private ScanResult result(String target, Collector collector) throws IOException {
        List<Vulnerability> vulnerabilities = new ArrayList<>();
        if (matcher != null) {
            for (Component c : collector.components) {
                vulnerabilities.addAll(matcher.match(c));
            }
        }
        Instant importedAt = store == null ? null : store.importedAt().orElse(null);
        return new ScanResult(target, Instant.now(), importedAt, collector.components, vulnerabilities,
                collector.secrets, collector.unscannable);
    }

    /** Hands each archive's entries to every cataloger and to the secret scanner. */
    private final class Collector implements ArchiveVisitor {
        final List<Component> components = new ArrayList<>();
        final List<SecretFinding> secrets = new ArrayList<>();
        final List<Unscannable> unscannable = new ArrayList<>();

        @Override
        public EntryVisitor enter(Archive archive) {
            progress.accept(archive.location());
            List<Cataloger.ArchiveCatalog> catalogs = new ArrayList<>();
            for (Cataloger c : catalogers) {
                catalogs.add(c.open(archive));
            }
            return new EntryVisitor() {
                @Override
                public boolean wantsContent(String path) {
                    if (secretScanner.wantsContent(path)) {
                        return true;
                    }
                    for (Cataloger.ArchiveCatalog c : catalogs) {
                        if (c.wantsContent(path)) {
                            return true;
                        }
                    }
                    return false;
                }

                @Override
                public void entry(String path, byte[] content) {
                    for (Cataloger.ArchiveCatalog c : catalogs) {
                        c.entry(path, content != null && c.wantsContent(path) ? content : null);
                    }
                    if (content != null && secretScanner.wantsContent(path)) {
                        secrets.addAll(secretScanner.scan(path, content, archive.locationOf(path)));
                    }
                }

                @Override
                public void leave() {
                    for (Cataloger.ArchiveCatalog c : catalogs) {
                        components.addAll(c.finish());
                    }
                }
            };
        }

        @Override
        public void unscannable(Unscannable finding) {
            unscannable.add(finding);
        }
    }
}
