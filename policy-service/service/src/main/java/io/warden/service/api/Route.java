package io.warden.service.api;

import io.warden.service.auth.Caller;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One route of the API: method, path pattern (groups are the path parameters), who may call it, the most body bytes it
 * reads (0 for none), the handler.
 */
record Route(String method, Pattern path, String name, Access access, long maxBodyBytes, Handler handler) {

    enum Access {
        /** No credentials needed: health, and the web view's files and login (the login code is the credential). */
        PUBLIC,
        /** Any valid credentials; the handler checks the caller's scope. */
        AUTHENTICATED,
        /** An admin or a viewer: reads only. */
        READ,
        ADMIN
    }

    @FunctionalInterface
    interface Handler {
        ApiResponse handle(ApiRequest request, Caller caller, List<String> pathParameters);
    }

    /** A route without a request body. */
    static Route of(String method, String path, Access access, Handler handler) {
        return of(method, path, access, 0, handler);
    }

    static Route of(String method, String path, Access access, long maxBodyBytes, Handler handler) {
        String regex = path.replaceAll("\\{[a-z]+}", "([^/]+)");
        return new Route(method, Pattern.compile(regex), path, access, maxBodyBytes, handler);
    }
}
