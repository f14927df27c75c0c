package io.warden.service.store;

/** The store cannot take more work right now; the client should retry later. */
public final class StoreBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreBusyException(String message) {
        super(message);
    }
}
