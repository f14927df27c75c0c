package io.warden.compat.micronaut;

import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import java.util.Map;

/** The handler Lambda runs: Micronaut starts its application context on the cold start and injects the bean. */
public class MicronautFunction extends MicronautRequestHandler<Map<String, String>, String> {

    @Inject
    Orders orders;

    @Override
    public String execute(Map<String, String> event) {
        return orders.receipt(event.get("value"));
    }
}
