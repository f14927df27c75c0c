package io.warden.agent.core.enforce;

import io.warden.agent.core.hooks.Hook;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;

/** A blocked operation, turned into the exception type that the operation's API declares for such a failure. */
final class Blocked extends Exception {

    private static final long serialVersionUID = 1L;
    private static final String NAMING_EXCEPTION = "javax.naming.NamingException";

    enum Kind {
        CONNECT,
        BIND,
        SOCKET,
        UNKNOWN_HOST,
        FILE_NOT_FOUND,
        ACCESS_DENIED,
        IO,
        UNSATISFIED_LINK,
        NAMING,
        SECURITY
    }

    private final Kind kind;

    Blocked(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    /**
     * java.io opens report FileNotFoundException, NIO calls AccessDeniedException; File's other methods, and the JDK's
     * metadata calls that answer by value, fail by value (the hook returns false, null, 0 or EACCES).
     */
    static Kind kindForFile(Hook hook) {
        switch (hook) {
            case FILE_INPUT_OPEN:
            case FILE_OUTPUT_OPEN:
            case RANDOM_ACCESS_OPEN:
                return Kind.FILE_NOT_FOUND;
            case FILE_CREATE:
            case FILE_CREATE_TEMP:
                return Kind.IO;
            case VM_OPTION_SET:
                return Kind.SECURITY; // what setVMOption declares for a caller without permission
            default:
                return hook.failsByValue() ? null : Kind.ACCESS_DENIED;
        }
    }

    Throwable toApiException() {
        String message = getMessage();
        switch (kind) {
            case CONNECT:
                return new ConnectException(message);
            case BIND:
                return new BindException(message);
            case SOCKET:
                return new SocketException(message);
            case UNKNOWN_HOST:
                return new UnknownHostException(message);
            case FILE_NOT_FOUND:
                return new FileNotFoundException(message);
            case ACCESS_DENIED:
                // No file name: the message must start with "Blocked by Warden" (it names the path itself).
                return new AccessDeniedException(null, null, message);
            case UNSATISFIED_LINK:
                return new UnsatisfiedLinkError(message);
            case NAMING:
                return namingException(message);
            case SECURITY:
                return new SecurityException(message);
            default:
                return new IOException(message);
        }
    }

    /** java.naming is an optional module: the exception is made reflectively so the agent does not require it. */
    private static Throwable namingException(String message) {
        try {
            return (Throwable)
                    Class.forName(NAMING_EXCEPTION).getConstructor(String.class).newInstance(message);
        } catch (ReflectiveOperationException | LinkageError unavailable) {
            return new SecurityException(message);
        }
    }
}
