package io.warden.cli;

import io.warden.scanner.vuln.store.VulnerabilityStore;
import io.warden.service.LocalService;
import io.warden.service.auth.WebSessions;
import io.warden.service.http.ServerLimits;
import io.warden.service.scan.ScannerPackageScans;
import io.warden.service.signing.SigningKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code warden serve}: the policy service on an embedded SQLite store in a data directory, until stopped. On first
 * start it makes the directory's policy signing key and admin token.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run the Warden policy service locally: agents fetch signed policies from it and report violations to it;",
            "people read violations, the function inventory and the findings `warden aws scan --data-dir` stored there.",
            "The store, the signing key (signing-key) and the admin token (admin-token) live in the data directory,",
            "made on first start. See docs/api.md."
        })
public final class ServeCommand implements Callable<Integer> {

    static final int DEFAULT_PORT = 8780;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Default: ~/.warden/service.")
    Path dataDirectory = Path.of(System.getProperty("user.home"), ".warden", "service");

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "" + DEFAULT_PORT,
            description = "0 for any free port. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "The address to listen on. Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            description = "Connections open at once; past it, new ones wait. Default: ${DEFAULT-VALUE}.")
    int maxConnections = ServerLimits.DEFAULT.maxConnections();

    @Option(
            names = "--max-connections-per-client",
            paramLabel = "N",
            description =
                    "Connections open at once from one client address; past it, new ones are closed. Default: ${DEFAULT-VALUE}.")
    int maxConnectionsPerClient = ServerLimits.DEFAULT.maxConnectionsPerClient();

    @Option(
            names = "--print-public-key",
            description = "Print the policy signing key's public key (the agent's WARDEN_POLICY_PUBLIC_KEY) and exit.")
    boolean printPublicKey;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = commandSpec.commandLine().getOut();
        if (port < 0 || port > 65_535) {
            throw new CommandLine.ParameterException(
                    commandSpec.commandLine(), "--port " + port + " is outside 0-65535");
        }
        if (maxConnections < 1 || maxConnectionsPerClient < 1) {
            throw new CommandLine.ParameterException(
                    commandSpec.commandLine(), "--max-connections and --max-connections-per-client must be at least 1");
        }
        if (Files.exists(dataDirectory) && !Files.isDirectory(dataDirectory)) {
            throw new CommandLine.ParameterException(
                    commandSpec.commandLine(), "--data-dir " + dataDirectory + " is not a directory");
        }
        if (printPublicKey) {
            Files.createDirectories(dataDirectory);
            out.println(SigningKey.loadOrCreate(dataDirectory).publicKeyBase64());
            out.flush();
            return 0;
        }
        InetSocketAddress address = new InetSocketAddress(address(), port);
        Path advisoryDatabase = VulnerabilityStore.defaultDirectory();
        VulnerabilityStore advisories = Files.isRegularFile(advisoryDatabase.resolve(VulnerabilityStore.FILE_NAME))
                ? VulnerabilityStore.open(advisoryDatabase)
                : null;
        LocalService service = LocalService.start(
                dataDirectory,
                address,
                new ScannerPackageScans(advisories),
                ServerLimits.DEFAULT.withConnections(maxConnections, maxConnectionsPerClient));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            service.close();
                            stopped.countDown();
                        },
                        "warden-serve-stop"));
        out.println("warden serve: listening on " + service.baseUrl());
        out.println("warden serve: data directory " + dataDirectory.toAbsolutePath());
        out.println("warden serve: package scans "
                + (advisories == null
                        ? "list components and secrets only (no advisory database in " + advisoryDatabase
                                + ": warden db import PATH)"
                        : "match advisories from " + advisoryDatabase));
        out.println("warden serve: admin token in " + service.adminTokenFile().toAbsolutePath());
        out.println("warden serve: web view (one-time login, valid " + WebSessions.CODE_LIFETIME.toMinutes()
                + " minutes) " + service.newLoginUrl());
        out.println("warden serve: policy signing key " + service.signingKey().keyId() + "; WARDEN_POLICY_PUBLIC_KEY="
                + service.signingKey().publicKeyBase64());
        out.flush();
        stopped.await();
        return 0;
    }

    private InetAddress address() {
        try {
            return InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), "--bind " + bind + ": unknown host");
        }
    }
}
