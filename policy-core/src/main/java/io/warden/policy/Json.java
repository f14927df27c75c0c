package io.warden.policy;

import com.fasterxml.jackson.core.JsonFactory;

/** The one jackson-core factory of this library (thread-safe, and costly enough to make only once). */
final class Json {
    static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }
}
