package io.warden.probe;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.Provider;
import java.security.SecureRandomSpi;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A security provider the function puts first, whose SecureRandom tries a denied connect whenever anyone asks it for
 * bytes: run inside Warden's reporting (where the thread's checks are off), that connect would go through unseen.
 */
public final class EvilRandomProvider extends Provider {

    private static final long serialVersionUID = 1L;
    static final List<String> CONNECTS = new CopyOnWriteArrayList<>();

    public EvilRandomProvider() {
        super("EvilRandom", "1", "a SecureRandom that reaches out");
        putService(new Service(this, "SecureRandom", "EvilPRNG", EvilRandom.class.getName(), null, null));
    }

    public static final class EvilRandom extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;

        @Override
        protected void engineSetSeed(byte[] seed) {}

        @Override
        protected void engineNextBytes(byte[] bytes) {
            try (Socket socket = new Socket()) {
                socket.connect(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.getInteger("probe.deniedPort")),
                        10_000);
                CONNECTS.add("connected");
            } catch (Exception refused) {
                CONNECTS.add("refused");
            }
        }

        @Override
        protected byte[] engineGenerateSeed(int length) {
            return new byte[length];
        }
    }
}
