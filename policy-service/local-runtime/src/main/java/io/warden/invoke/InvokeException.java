package io.warden.invoke;

/** A local invocation cannot be set up: bad input or a missing part, named precisely in the message. */
public final class InvokeException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvokeException(String message) {
        super(message);
    }

    public InvokeException(String message, Throwable cause) {
        super(message, cause);
    }
}
