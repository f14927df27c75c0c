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
    public WardenApi(
            Store store, SigningKey signingKey, Authenticator authenticator, PackageScans scanner, Clock clock) {
        this(store, signingKey, authenticator, scanner, clock, null);
    }

    /**
     * @param webSessions the web view's login codes and sessions; with them the API also serves the web view's page
     *     ({@code warden serve}), without them (null) neither
     */
    public WardenApi(
            Store store,
            SigningKey signingKey,
            Authenticator authenticator,
            PackageScans scanner,
            Clock clock,
            WebSessions webSessions) {
        this.authenticator = webSessions == null ? authenticator : webSessions.before(authenticator);
        routes.addAll(new HealthRoutes(store, metrics).routes());
        routes.addAll(new ReportRoutes(store, metrics, clock).routes());
        routes.addAll(new ObservationRoutes(store, metrics).routes());
        routes.addAll(new PolicyRoutes(store, signingKey, clock).routes());
        routes.addAll(new ViolationRoutes(store).routes());
        routes.addAll(new ViolationSummaryRoutes(store, clock).routes());
        routes.addAll(new FunctionRoutes(store).routes());
        routes.addAll(new SuggestedPolicyRoutes(store).routes());
        routes.addAll(new SuggestedIamPolicyRoutes(store).routes());
        routes.addAll(new LearningRoutes(store).routes());
        routes.addAll(new FindingRoutes(store).routes());
        routes.addAll(new ScanRoutes(store, scanner, clock).routes());
        routes.addAll(new TokenRoutes(store, clock).routes());
        if (webSessions != null) {
            routes.addAll(new LoginRoutes(webSessions).routes());
            routes.addAll(new WebPageRoutes().routes());
        }
    }

    /**
     * What the API decides from a request's head alone, before its body is read: an answer when the route does not
     * exist or the caller may not call it (so nobody uploads a body that is refused anyway), else the most body bytes
     * the route reads.
     *
     * @param refusal the answer to give at once, or null
     */
    public record Admission(ApiResponse refusal, long maxBodyBytes) {}

    /** Checks the route and the caller's credentials of a request whose body has not been read; never throws. */
    public Admission admit(ApiRequest head) {
        try {
            return new Admission(null, target(head).route().maxBodyBytes());
        } catch (RuntimeException e) {
            ApiResponse refusal = failure(head, e);
            metrics.request("unmatched", refusal.status());
            return new Admission(refusal, 0);
        }
    }

    /** Answers the request; never throws. */
    public ApiResponse handle(ApiRequest request) {
        String routeName = "unmatched";
        ApiResponse response;
        try {
            Target target = target(request);
            routeName = target.route().method() + " " + target.route().name();
            response = target.route().handler().handle(request, target.caller(), target.parameters());
        } catch (RuntimeException e) {
            response = failure(request, e);
        }
        metrics.request(routeName, response.status());
        return response;
    }

    /** The route of a request, its path parameters and its authenticated caller (null on a public route). */
    private record Target(Route route, List<String> parameters, Caller caller) {}

    /** @throws ApiException 404 or 405 when no route matches, 401 or 403 when the caller may not call it */
    private Target target(ApiRequest request) {
        TreeSet<String> allowedMethods = new TreeSet<>();
        for (Route candidate : routes) {
            Matcher matcher = candidate.path().matcher(request.path());
            if (!matcher.matches()) {
                continue;
            }
            allowedMethods.add(candidate.method());
            if (candidate.method().equals(request.method())) {
                Caller caller = null;
                if (candidate.access() != Route.Access.PUBLIC) {
                    caller = authenticator.authenticate(request);
                    if (candidate.access() == Route.Access.ADMIN && !caller.isAdmin()) {
                        throw ApiException.forbidden(
                                caller.description() + " is a " + caller.role().jsonName() + "; " + candidate.method()
                                        + " " + candidate.name() + " needs an admin");
                    }
                    if (candidate.access() == Route.Access.READ && !caller.mayRead()) {
                        throw ApiException.forbidden(
                                caller.description() + " is a " + caller.role().jsonName() + "; " + candidate.method()
                                        + " " + candidate.name() + " needs an admin or a viewer");
                    }
                }
                return new Target(candidate, groups(matcher), caller);
            }
        }
        if (allowedMethods.isEmpty()) {
            throw ApiException.notFound(
                    "no route " + ApiJson.abbreviate(request.method()) + " " + ApiJson.abbreviate(request.path()));
        }
        throw ApiException.methodNotAllowed(
                ApiJson.abbreviate(request.method()) + " " + ApiJson.abbreviate(request.path())
                        + " is not allowed; allowed: " + String.join(", ", allowedMethods),
                String.join(", ", allowedMethods));
    }

    private static ApiResponse failure(ApiRequest request, RuntimeException failure) {
        if (failure instanceof ApiException e) {
            return error(e);
        }
        if (failure instanceof StoreBusyException e) {
            return error(503, "busy", e.getMessage()).withHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        if (failure instanceof StoreException e) {
            LOG.error("{} {}: store failure", request.method(), request.path(), e);
            return error(503, "store_unavailable", e.getMessage()).withHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        LOG.error("{} {} failed", request.method(), request.path(), failure);
        return error(
                500, "internal_error", "internal error: " + failure.getClass().getSimpleName());
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
        ApiResponse response = error(e.status(), e.error(), e.getMessage());
        if (e.allow() != null) {
            response = response.withHeader("Allow", e.allow());
        }
        return e.status() == 401 ? response.withHeader("WWW-Authenticate", "Bearer") : response;
    }

    /** The documented error answer: {@code {"error": kind, "message": message}}. */
    public static ApiResponse error(int status, String kind, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", kind);
        body.put("message", message);
        return ApiResponse.json(status, body);
    }
}
