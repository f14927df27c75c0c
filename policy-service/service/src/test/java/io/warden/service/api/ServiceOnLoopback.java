package io.warden.service.api;

import io.warden.service.LocalService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * For each test, {@code warden serve}'s service on loopback with a fresh data directory, its admin token and a reporter
 * token for "orders".
 */
abstract class ServiceOnLoopback {

    @TempDir
    Path dataDirectory;

    LocalService service;
    ServiceClient client;
    String admin;
    String reporter;

    @BeforeEach
    void start() throws IOException {
        service = LocalService.start(
                dataDirectory, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new ZipListingScans());
        client = new ServiceClient(service.baseUrl());
        admin = service.adminToken();
        reporter = client.reporterToken(admin, "orders");
    }

    @AfterEach
    void stop() {
        service.close();
    }
}
