package io.warden.agent.it;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Agent tests that connect to loopback servers: one set per test class. */
abstract class WithLoopbackServers {

    static LoopbackServers servers;

    @BeforeAll
    static void startServers() throws IOException {
        servers = new LoopbackServers();
    }

    @AfterAll
    static void stopServers() {
        servers.close();
    }
}
