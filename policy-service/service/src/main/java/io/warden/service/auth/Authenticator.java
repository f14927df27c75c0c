package io.warden.service.auth;

import io.warden.service.api.ApiException;
import io.warden.service.api.ApiRequest;

/** Says who made a request. */
public interface Authenticator {

    /** @throws ApiException 401 naming what is missing or wrong with the credentials */
    Caller authenticate(ApiRequest request);
}
