package io.warden.service.api;

import io.warden.service.auth.Authenticator;
import io.warden.service.auth.Caller;
import io.warden.service.auth.WebSessions;
import io.warden.service.scan.PackageScans;
import io.warden.service.signing.SigningKey;
import io.warden.service.store.Store;
import io.warden.service.store.StoreBusyException;
import io.warden.service.store.StoreException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy service's HTTP API, independent of how requests arrive: the local server ({@code warden serve}) and the
 * API Gateway handler both hand every request to {@link #handle}. Each route group lives in its own class.
 */
public final class WardenApi {

    static final String RETRY_AFTER_SECONDS = "1";
    private static final Logger LOG = LoggerFactory.getLogger(WardenApi.class);

    private final Authenticator authenticator;
    private final Metrics metrics = new Metrics();
    private final List<Route> routes = new ArrayList<>();

    /** @param scanner the package scanner, or null when this build has none */
    public WardenApi(Store store, SigningKey signingKey, Authenticator authenticator, PackageScans scanner, Clock clock) {
        this(store, signingKey, authenticator, scanner, clock, null);
    }

    /**
     * @param webSessions the web view's login codes and sessions; with them the API also serves the web view's page
     *     ({@code warden serve}), without them (null) neither
     */
    public WardenApi(Store store, SigningKey signingKey, Authenticator authenticator, PackageScans scanner, Clock clock,
            WebSessions webSessions) {
        this.authenticator = webSessions == null ? authenticator : webSessions.before(authenticator);
        routes.addAll(new HealthRoutes(store, metrics).routes());
        routes.addAll(new ReportRoutes(store, metrics, clock).routes());
        routes.addAll(new PolicyRoutes(store, signingKey, clock).routes());
        routes.addAll(new ViolationRoutes(store).routes());
        routes.addAll(new ViolationSummaryRoutes(store, clock).routes());
        routes.addAll(new FunctionRoutes(store).routes());
        routes.addAll(new FindingRoutes(store).routes());
        routes.addAll(new ScanRoutes(store, scanner, clock).routes());
        routes.addAll(new TokenRoutes(store, clock).routes());
        if (webSessions != null) {
            routes.addAll(new LoginRoutes(webSessions).routes());
            routes.addAll(new WebPageRoutes().routes());
        }
    }

    /** Answers the request; never throws. */
    public ApiResponse handle(ApiRequest request) {
        String routeName = "unmatched";
        ApiResponse response;
        try {
            TreeSet<String> allowedMethods = new TreeSet<>();
            Route route = null;
            List<String> parameters = List.of();
            for (Route candidate : routes) {
                Matcher matcher = candidate.path().matcher(request.path());
                if (!matcher.matches()) {
                    continue;
                }
                allowedMethods.add(candidate.method());
                if (candidate.method().equals(request.method())) {
                    route = candidate;
                    parameters = groups(matcher);
                }
            }
            if (route == null) {
                if (allowedMethods.isEmpty()) {
                    throw ApiException.notFound("no route " + request.method() + " " + ApiJson.abbreviate(request.path()));
                }
                response = error(new ApiException(405, "method_not_allowed", request.method() + " "
                        + ApiJson.abbreviate(request.path()) + " is not allowed; allowed: " + String.join(", ", allowedMethods)))
                        .withHeader("Allow", String.join(", ", allowedMethods));
            } else {
                routeName = route.method() + " " + route.name();
                Caller caller = null;
                if (route.access() != Route.Access.PUBLIC) {
                    caller = authenticator.authenticate(request);
                    if (route.access() == Route.Access.ADMIN && !caller.isAdmin()) {
                        throw ApiException.forbidden(caller.description() + " is a " + caller.role().jsonName()
                                + "; " + routeName + " needs an admin");
                    }
                    if (route.access() == Route.Access.READ && !caller.mayRead()) {
                        throw ApiException.forbidden(caller.description() + " is a " + caller.role().jsonName()
                                + "; " + routeName + " needs an admin or a viewer");
                    }
                }
                response = route.handler().handle(request, caller, parameters);
            }
        } catch (ApiException e) {
            response = error(e);
        } catch (StoreBusyException e) {
            response = error(new ApiException(503, "busy", e.getMessage())).withHeader("Retry-After", RETRY_AFTER_SECONDS);
        } catch (StoreException e) {
            LOG.error("{} {}: store failure", request.method(), request.path(), e);
            response = error(new ApiException(503, "store_unavailable", e.getMessage()))
                    .withHeader("Retry-After", RETRY_AFTER_SECONDS);
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", request.method(), request.path(), e);
            response = error(new ApiException(500, "internal_error", "internal error: " + e.getClass().getSimpleName()));
        }
        metrics.request(routeName, response.status());
        return response;
    }

    /** The counters this API keeps. */
    public Metrics metrics() {
        return metrics;
    }

    private static List<String> groups(Matcher matcher) {
        List<String> groups = new ArrayList<>(matcher.groupCount());
        for (int i = 1; i <= matcher.groupCount(); i++) {
            groups.add(matcher.group(i));
        }
        return groups;
    }

    private static ApiResponse error(ApiException e) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("message", e.getMessage());
        ApiResponse response = ApiResponse.json(e.status(), body);
        return e.status() == 401 ? response.withHeader("WWW-Authenticate", "Bearer") : response;
    }
}
