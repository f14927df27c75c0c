package io.warden.service.api;

/** A request the API refuses: the status and a message that names the offending value. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final String allow;

    public ApiException(int status, String error, String message) {
        this(status, error, message, null);
    }

    private ApiException(int status, String error, String message, String allow) {
        super(message);
        this.status = status;
        this.error = error;
        this.allow = allow;
    }

    /** 405 with the methods the path allows, for the {@code Allow} header. */
    public static ApiException methodNotAllowed(String message, String allow) {
        return new ApiException(405, "method_not_allowed", message, allow);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public int status() {
        return status;
    }

    /** The {@code Allow} header of a 405, else null. */
    public String allow() {
        return allow;
    }

    /** A short machine-readable kind, e.g. {@code bad_request}. */
    public String error() {
        return error;
    }
}
