package io.warden.service.store;

/** The store failed: it could not be reached or refused an operation. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
