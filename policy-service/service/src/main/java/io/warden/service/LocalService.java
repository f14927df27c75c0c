package io.warden.service;

import io.warden.service.api.WardenApi;
import io.warden.service.auth.Role;
import io.warden.service.auth.TokenAuthenticator;
import io.warden.service.auth.Tokens;
import io.warden.service.auth.WebSessions;
import io.warden.service.http.HttpApiServer;
import io.warden.service.http.ServerLimits;
import io.warden.service.scan.PackageScans;
import io.warden.service.signing.SigningKey;
import io.warden.service.store.TokenRecord;
import io.warden.service.store.sqlite.SqliteStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;

/**
 * The service as {@code warden serve} runs it: SQLite, the signing key and the admin token in one data directory,
 * served over HTTP with bearer tokens.
 */
public final class LocalService implements AutoCloseable {

    /** The admin token's file in the data directory, readable by the owner only. */
    public static final String ADMIN_TOKEN_FILE = "admin-token";

    private final SqliteStore store;
    private final SigningKey signingKey;
    private final HttpApiServer server;
    private final Path adminTokenFile;
    private final WebSessions webSessions;

    private LocalService(
            SqliteStore store,
            SigningKey signingKey,
            HttpApiServer server,
            Path adminTokenFile,
            WebSessions webSessions) {
        this.store = store;
        this.signingKey = signingKey;
        this.server = server;
        this.adminTokenFile = adminTokenFile;
        this.webSessions = webSessions;
    }

    /**
     * Opens the data directory (creating it, its key and admin token on first start) and serves on the address.
     *
     * @param scanner the package scanner, or null when this build has none
     */
    public static LocalService start(Path dataDirectory, InetSocketAddress address, PackageScans scanner)
            throws IOException {
        return start(dataDirectory, address, scanner, ServerLimits.DEFAULT);
    }

    /** @param limits what bounds the server against slow and hostile clients */
    public static LocalService start(
            Path dataDirectory, InetSocketAddress address, PackageScans scanner, ServerLimits limits)
            throws IOException {
        SqliteStore.ownerOnly(dataDirectory);
        SigningKey signingKey = SigningKey.loadOrCreate(dataDirectory);
        SqliteStore store = SqliteStore.open(dataDirectory);
        try {
            Path adminTokenFile = ensureAdminToken(store, dataDirectory);
            WebSessions webSessions = new WebSessions(Clock.systemUTC());
            WardenApi api = new WardenApi(
                    store, signingKey, new TokenAuthenticator(store), scanner, Clock.systemUTC(), webSessions);
            HttpApiServer server = HttpApiServer.start(api, address, limits);
            return new LocalService(store, signingKey, server, adminTokenFile, webSessions);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * The admin token of {@value #ADMIN_TOKEN_FILE}, made on first start, and registered with the store. Any other token
     * registered from that file before (labelled {@value TokenRecord#ADMIN_TOKEN_FILE_LABEL}) is revoked: replacing the
     * file, by hand or with {@link #rotateAdminToken}, ends the old admin token.
     */
    private static Path ensureAdminToken(SqliteStore store, Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve(ADMIN_TOKEN_FILE);
        if (!Files.exists(file)) {
            SigningKey.writeOwnerOnly(file, Tokens.newToken() + "\n");
        }
        String hash = Tokens.sha256Hex(
                Files.readString(file, StandardCharsets.US_ASCII).trim());
        if (store.token(hash).isEmpty()) {
            store.putToken(new TokenRecord(
                    hash,
                    Role.ADMIN.jsonName(),
                    null,
                    Clock.systemUTC().instant(),
                    null,
                    TokenRecord.ADMIN_TOKEN_FILE_LABEL));
        }
        for (TokenRecord token : store.tokens()) {
            if (TokenRecord.ADMIN_TOKEN_FILE_LABEL.equals(token.label())
                    && !token.sha256Hex().equals(hash)) {
                store.deleteToken(token.sha256Hex());
            }
        }
        return file;
    }

    /**
     * Replaces the data directory's admin token with a new one ({@value #ADMIN_TOKEN_FILE}, 0600, replaced atomically)
     * and revokes the old one in the store. A running {@code warden serve} on the directory stops taking the old token
     * within {@link io.warden.service.auth.TokenAuthenticator#REMEMBERED_FOR}.
     *
     * @return the new token's file
     */
    public static Path rotateAdminToken(Path dataDirectory) throws IOException {
        if (!Files.isDirectory(dataDirectory)) {
            throw new IOException(dataDirectory + " is not a data directory of warden serve");
        }
        try (SqliteStore store = SqliteStore.open(dataDirectory)) {
            Path file = dataDirectory.resolve(ADMIN_TOKEN_FILE);
            Path written = Files.createTempFile(
                    dataDirectory,
                    "." + ADMIN_TOKEN_FILE,
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(written, Tokens.newToken() + "\n", StandardCharsets.US_ASCII);
                Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(written);
            }
            return ensureAdminToken(store, dataDirectory);
        }
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    /**
     * A new one-time login URL for the web view: the page at {@code /} with a login code in the fragment, which the
     * page spends on a viewer session ({@link WebSessions}).
     */
    public String newLoginUrl() {
        return baseUrl() + "/#login=" + webSessions.newCode();
    }

    public SigningKey signingKey() {
        return signingKey;
    }

    public Path adminTokenFile() {
        return adminTokenFile;
    }

    public String adminToken() throws IOException {
        return Files.readString(adminTokenFile, StandardCharsets.US_ASCII).trim();
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
