package io.warden.probe;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;

/**
 * A {@code SelectorProvider} the function names in {@code java.nio.channels.spi.SelectorProvider}: says on which thread
 * the JVM made it, and makes no channels.
 */
public final class ForeignSelectorProvider extends SelectorProvider {

    public ForeignSelectorProvider() {
        System.out.println("HANDLER-CALLED ForeignSelectorProvider on "
                + Thread.currentThread().getName());
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        throw new IOException("the function's provider");
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        throw new IOException("the function's provider");
    }

    @Override
    public Pipe openPipe() throws IOException {
        throw new IOException("the function's provider");
    }

    @Override
    public AbstractSelector openSelector() throws IOException {
        throw new IOException("the function's provider");
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        throw new IOException("the function's provider");
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        throw new IOException("the function's provider");
    }
}
