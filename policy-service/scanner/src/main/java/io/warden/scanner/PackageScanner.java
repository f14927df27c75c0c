package io.warden.scanner;

import io.warden.scanner.archive.Archive;
import io.warden.scanner.archive.ArchiveLimits;
import io.warden.scanner.archive.ArchiveVisitor;
import io.warden.scanner.archive.ArchiveWalker;
import io.warden.scanner.archive.Unscannable;
import io.warden.scanner.catalog.Cataloger;
import io.warden.scanner.catalog.Catalogers;
import io.warden.scanner.catalog.Component;
import io.warden.scanner.catalog.java.NameIndex;
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
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Scans a function or layer package: the components it contains (with evidence), the known vulnerabilities of those
 * components, the secrets it carries, and the parts that could not be read. Usable without the command line; one
 * instance scans one package at a time.
 *
 * <p>Secrets are looked for in the package's own files (its classes at the root, in {@code BOOT-INF/classes} or
 * {@code WEB-INF/classes}, its text files) and in every nested archive that does not name itself as a published
 * artifact (see {@link Cataloger.ArchiveCatalog#identifiesPublishedArtifact()}): a library such as guava 31.1 holds no
 * secret of the package owner's, and leaving its classes unread is most of what makes a scan fast.
 * The archive holding the function's handler ({@link #handler(String)}, when known) is searched whatever it says of
 * itself; {@link #deepSecrets(boolean)} looks inside every archive.
 */
public final class PackageScanner {
    private static final Pattern JAVA_CLASS_NAME =
            Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");
    private final VulnerabilityStore store;
    private final VulnerabilityMatcher matcher;
    private List<Cataloger> catalogers;
    private final SecretScanner secretScanner = new SecretScanner();
    private final ArchiveLimits limits;
    private Consumer<String> progress = location -> {};
    private boolean deepSecrets;
    private String handlerClassFile;

    /** @param store the advisory database, or null to identify components and secrets only */
    public PackageScanner(VulnerabilityStore store) {
        this(store, ArchiveLimits.DEFAULT);
    }

    public PackageScanner(VulnerabilityStore store, ArchiveLimits limits) {
        this.store = store;
        this.matcher = store == null ? null : new VulnerabilityMatcher(store);
        this.limits = limits;
    }

    /** Receives the location of each archive as its reading starts (for a progress line), one call at a time. */
    public PackageScanner onArchive(Consumer<String> listener) {
        this.progress = listener;
        return this;
    }

    /** Whether to look for secrets in published artifacts too (slower: every class of every library is read). */
    public PackageScanner deepSecrets(boolean deep) {
        this.deepSecrets = deep;
        return this;
    }

    /**
     * The function's handler as Lambda names it ({@code com.example.Handler::handleRequest} or
     * {@code com.example.Handler}), or null when unknown: the archive holding the handler's class is the function's
     * own code and is searched for secrets whatever metadata it carries (a function built by Maven has its own
     * {@code pom.properties}, like a published library).
     *
     * @throws IllegalArgumentException when it is not a Java class name
     */
    public PackageScanner handler(String handler) {
        this.handlerClassFile = handler == null ? null : handlerClassFile(handler);
        return this;
    }

    static String handlerClassFile(String handler) {
        String className = handler.strip();
        int method = className.indexOf("::");
        if (method >= 0) {
            className = className.substring(0, method);
        }
        if (!JAVA_CLASS_NAME.matcher(className).matches()) {
            throw new IllegalArgumentException(
                    "not a Java handler (package.Class or package.Class::method): '" + handler + "'");
        }
        return className.replace('.', '/') + ".class";
    }

    /**
     * Scans an archive file (read through its central directory, nested archives in parallel) or a directory.
     *
     * @throws io.warden.scanner.archive.NotAnArchiveException when the file is not a zip archive
     */
    public ScanResult scan(Path path) throws IOException {
        Collector collector = new Collector(catalogers());
        ArchiveWalker.walk(path, collector, limits);
        return result(
                path.getFileName() == null
                        ? path.toString()
                        : path.getFileName().toString(),
                collector);
    }

    /**
     * Scans a package read from a stream (not closed here); {@code name} is its file name.
     *
     * @throws io.warden.scanner.archive.NotAnArchiveException when the stream is not a zip archive
     */
    public ScanResult scan(InputStream in, String name) throws IOException {
        Collector collector = new Collector(catalogers());
        ArchiveWalker.walk(in, name, collector, limits);
        return result(name, collector);
    }

    /** The catalogers, with a name index of the advisory database's package names read once per scanner. */
    private List<Cataloger> catalogers() throws IOException {
        if (catalogers == null) {
            catalogers = Catalogers.all(NameIndex.of(store));
        }
        return catalogers;
    }

    private ScanResult result(String target, Collector collector) throws IOException {
        // Nested archives are read in parallel: order the findings by where they are, whatever finished first.
        collector.components.sort(Comparator.comparing(Component::location));
        collector.secrets.sort(Comparator.comparing(SecretFinding::location).thenComparingInt(SecretFinding::line));
        collector.unscannable.sort(Comparator.comparing(Unscannable::location));
        List<Vulnerability> vulnerabilities = new ArrayList<>();
        if (matcher != null) {
            for (Component c : collector.components) {
                vulnerabilities.addAll(matcher.match(c));
            }
        }
        Instant importedAt = store == null ? null : store.importedAt().orElse(null);
        return new ScanResult(
                target,
                Instant.now(),
                importedAt,
                collector.components,
                vulnerabilities,
                collector.secrets,
                collector.unscannable);
    }

    /**
     * Hands each archive's entries to every cataloger and to the secret scanner. Archives arrive from several
     * threads; each one's findings are added when it is left.
     */
    private final class Collector implements ArchiveVisitor {
        final List<Cataloger> catalogers;
        final List<Component> components = new ArrayList<>();
        final List<SecretFinding> secrets = new ArrayList<>();
        final List<Unscannable> unscannable = new ArrayList<>();

        Collector(List<Cataloger> catalogers) {
            this.catalogers = catalogers;
        }

        @Override
        public EntryVisitor enter(Archive archive) {
            synchronized (this) {
                progress.accept(archive.location());
            }
            List<Cataloger.ArchiveCatalog> catalogs = new ArrayList<>();
            for (Cataloger c : catalogers) {
                catalogs.add(c.open(archive));
            }
            boolean ownCode = archive.depth() == 0 || deepSecrets;
            return new EntryVisitor() {
                private final List<SecretFinding> found = new ArrayList<>();
                private boolean published;
                /** Whether this archive holds the handler's class: null while unknown (read as a stream). */
                private Boolean holdsHandler = handlerClassFile == null ? Boolean.FALSE : null;

                @Override
                public void names(List<String> paths) {
                    if (holdsHandler == null) {
                        holdsHandler = paths.stream().anyMatch(this::isHandler);
                    }
                }

                private boolean isHandler(String path) {
                    return path.equals(handlerClassFile)
                            || path.endsWith("/" + handlerClassFile)
                                    && (path.startsWith("BOOT-INF/classes/") || path.startsWith("WEB-INF/classes/"));
                }

                @Override
                public boolean wantsContent(String path) {
                    for (Cataloger.ArchiveCatalog c : catalogs) {
                        if (c.wantsContent(path)) {
                            return true;
                        }
                    }
                    return searching() && secretScanner.wantsContent(path);
                }

                /** A published library is not searched, unless it may hold the handler (not known yet, or known). */
                private boolean searching() {
                    return !published || !Boolean.FALSE.equals(holdsHandler);
                }

                @Override
                public void entry(String path, byte[] content) {
                    for (Cataloger.ArchiveCatalog c : catalogs) {
                        c.entry(path, content != null && c.wantsContent(path) ? content : null);
                    }
                    if (holdsHandler == null && isHandler(path)) {
                        holdsHandler = true;
                    }
                    if (content != null && searching() && secretScanner.wantsContent(path)) {
                        found.addAll(secretScanner.scan(path, content, archive.locationOf(path)));
                    }
                    if (!ownCode && content != null && path.startsWith("META-INF/")) {
                        published = isPublished();
                    }
                }

                @Override
                public void leave() {
                    List<Component> identified = new ArrayList<>();
                    for (Cataloger.ArchiveCatalog c : catalogs) {
                        identified.addAll(c.finish());
                    }
                    // Read as a stream, a jar's metadata may come after its classes: their findings go now.
                    boolean keepSecrets = ownCode || Boolean.TRUE.equals(holdsHandler) || !isPublished();
                    synchronized (Collector.this) {
                        components.addAll(identified);
                        if (keepSecrets) {
                            secrets.addAll(found);
                        }
                    }
                }

                private boolean isPublished() {
                    return catalogs.stream().anyMatch(Cataloger.ArchiveCatalog::identifiesPublishedArtifact);
                }
            };
        }

        @Override
        public synchronized void unscannable(Unscannable finding) {
            unscannable.add(finding);
        }
    }
}
