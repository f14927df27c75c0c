package io.warden.service.learn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.policy.Action;
import io.warden.policy.Environment;
import io.warden.policy.Policy;
import io.warden.policy.PolicyEvaluator;
import io.warden.policy.PolicyException;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.policy.internal.BuiltInDeny;
import io.warden.policy.internal.Glob;
import io.warden.policy.internal.IpAddress;
import io.warden.service.store.Store;
import io.warden.service.store.StoredPolicy;
import io.warden.service.store.ViolationCursor;
import io.warden.service.store.ViolationPage;
import io.warden.service.store.ViolationQuery;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The smallest policy that allows what a function did: the policy in force plus one entry per distinct operation its
 * alert-mode violations show (in {@code alert} mode every operation the policy does not allow is reported and goes
 * through, so the two together are what the function did). Only violations an allow entry can lift count: those decided
 * by an allow list finding no match. Blocked operations (which never happened), deny-list matches and the built-in deny
 * set never become entries. Every entry carries its evidence; the result is checked by the policy parser itself.
 */
public final class PolicySuggestion {

    /** At most this many events are read per suggestion, newest first; the result says when it stopped there. */
    public static final int MAX_EVENTS = 100_000;

    static final int PAGE = 1_000;
    /** More distinct generalised names than this under {@code /tmp} in one list become {@code /tmp/**}. */
    static final int MAX_TMP_ENTRIES = 8;
    /** Distinct request ids counted, at most (the count says "at least" beyond it). */
    static final int MAX_REQUEST_IDS = 100_000;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Where a function without a stored policy starts: nothing allowed beyond the baseline. */
    private static final String EMPTY_POLICY = "{\"version\": 1}";

    private static final Pattern AWS_REGIONAL =
            Pattern.compile("(?:[a-z0-9-]+\\.)+([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9])\\.amazonaws\\.com(\\.cn)?");
    private static final Pattern PROGRAM = Pattern.compile(" \\(program (/[^)]*)\\)$");
    /** What makes a name per-request: a UUID, six or more digits, or eight or more hex digits mixing letters and digits. */
    private static final Pattern RANDOM_RUN = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9]{6,}|[0-9a-fA-F]{8,}");

    private static final Set<String> READ_OPERATIONS = Set.of("read", "list", "stat");

    /** One entry's evidence: what it stands for. */
    static final class Evidence {
        long count;
        Instant firstSeen;
        Instant lastSeen;
        String caller;
        String target;
        String rule;
        final Set<String> operations = new TreeSet<>();

        /** The example caller, target and rule are those of the earliest event. */
        void add(Violation v) {
            count += v.count();
            if (firstSeen == null || !v.time().isAfter(firstSeen)) {
                firstSeen = v.time();
                caller = v.caller() != null ? v.caller() : caller;
                target = v.target();
                rule = v.rule();
            }
            lastSeen = lastSeen == null || v.time().isAfter(lastSeen) ? v.time() : lastSeen;
            operations.add(v.operation());
        }

        void merge(Evidence other) {
            count += other.count;
            if (firstSeen == null || !other.firstSeen.isAfter(firstSeen)) {
                firstSeen = other.firstSeen;
                caller = other.caller != null ? other.caller : caller;
                target = other.target;
                rule = other.rule;
            }
            lastSeen = lastSeen == null || other.lastSeen.isAfter(lastSeen) ? other.lastSeen : lastSeen;
            operations.addAll(other.operations);
        }
    }

    /** A list of the policy (its JSON pointer, e.g. {@code /network/allow}) and one entry for it. */
    private record Entry(String list, String value) {}

    private final String policyInForce;
    /** By list pointer, then entry. */
    private final Map<String, Map<String, Evidence>> additions = new TreeMap<>();

    private final Map<String, Long> ignored = new TreeMap<>();
    private final Set<String> requestIds = new HashSet<>();
    private final Set<String> versions = new TreeSet<>();
    private long events;
    private long used;
    private Instant firstSeen;
    private Instant lastSeen;
    private boolean truncated;

    /** @param policyInForce the canonical JSON of the function's policy, or null when none is stored */
    PolicySuggestion(String policyInForce) {
        this.policyInForce = policyInForce;
    }

    /** The suggestion for a function from what the store holds: its policy and its violations, newest first. */
    public static ObjectNode suggest(Store store, String function) {
        PolicySuggestion suggestion = new PolicySuggestion(
                store.policy(function).map(StoredPolicy::json).orElse(null));
        ViolationCursor cursor = null;
        do {
            ViolationPage page = store.violations(new ViolationQuery(function, null, null, null, null, PAGE, cursor));
            for (String line : page.events()) {
                if (suggestion.events >= MAX_EVENTS) {
                    suggestion.truncated = true;
                    return suggestion.toJson();
                }
                suggestion.add(ViolationJson.parse(line));
            }
            cursor = page.next();
        } while (cursor != null);
        return suggestion.toJson();
    }

    void add(Violation v) {
        events++;
        firstSeen = firstSeen == null || v.time().isBefore(firstSeen) ? v.time() : firstSeen;
        lastSeen = lastSeen == null || v.time().isAfter(lastSeen) ? v.time() : lastSeen;
        if (v.requestId() != null && requestIds.size() < MAX_REQUEST_IDS) {
            requestIds.add(v.requestId());
        }
        if (v.functionVersion() != null) {
            versions.add(v.functionVersion());
        }
        String skipped = skipReason(v);
        Entry entry = null;
        if (skipped == null) {
            try {
                entry = entryOf(v);
            } catch (IndexOutOfBoundsException malformed) {
                // A target not in the form the agent writes for its rule (reports come over the API): no entry.
            }
        }
        if (entry == null) {
            ignored.merge(skipped == null ? "notExpressible" : skipped, 1L, Long::sum);
            return;
        }
        used++;
        additions
                .computeIfAbsent(entry.list(), l -> new TreeMap<>())
                .computeIfAbsent(entry.value(), e -> new Evidence())
                .add(v);
    }

    /** Why an event cannot become an entry, or null when it can. */
    private static String skipReason(Violation v) {
        if (v.action() != Action.ALERTED) {
            return "blocked";
        }
        if (v.rule().startsWith("builtin.")) {
            return "builtInDeny";
        }
        if (!v.rule().endsWith(" (no match)")) {
            return "denyList";
        }
        return null;
    }

    /** The entry that allows the event's operation, generalised; null when no entry can say it exactly enough. */
    private static Entry entryOf(Violation v) {
        String target = v.target();
        switch (v.rule()) {
            case "network.allow (no match)":
                return networkEntry(target);
            case "network.listen (no match)":
                return new Entry("/network/listen", target.substring(target.lastIndexOf(':') + 1));
            case "network.accept (no match)": {
                String address = target.substring(0, target.lastIndexOf(':'));
                return new Entry(
                        "/network/accept",
                        address.startsWith("[") ? address.substring(1, address.length() - 1) : address);
            }
            case "dns.allow (no match)":
                return new Entry("/dns/allow", regional(target.toLowerCase(Locale.ROOT)));
            case "files.read (no match)":
            case "files.write (no match)":
                return fileEntry(READ_OPERATIONS.contains(v.operation()) ? "/files/read" : "/files/write", target);
            case "processes.allow (no match)": {
                Matcher program = PROGRAM.matcher(target);
                String entry = program.find() ? program.group(1) : target.split(" ", 2)[0];
                return hasWildcard(entry) ? null : new Entry("/processes/allow", entry);
            }
            case "processes.others (no match)":
                return new Entry("/processes/others", v.operation());
            case "native.allow (no match)":
                if (isBuiltInDenyPath(target) || hasWildcard(target)) {
                    return null;
                }
                // A library extracted under a per-request name is a shipped one: allowShipped, not a glob over /tmp.
                return tmpGlob(target).equals(target)
                        ? new Entry("/native/allow", target)
                        : new Entry("/native/allowShipped", "true");
            case "jndi.allow (no match)":
                return hasWildcard(target) || target.contains(" ") ? null : new Entry("/jndi/allow", target);
            default:
                return null;
        }
    }

    /**
     * A connect's target is {@code host:port (address:port)} when its name was resolved, {@code address:port} or
     * {@code [v6]:port} without one, and ends with {@code name not resolved} when judged by its address alone.
     */
    private static Entry networkEntry(String target) {
        boolean byAddress = target.endsWith(" name not resolved");
        int open = target.indexOf(" (");
        String endpoint;
        if (open < 0) {
            endpoint = target;
        } else if (byAddress) {
            endpoint = target.substring(open + 2, target.indexOf(')', open));
        } else {
            String host = target.substring(0, target.lastIndexOf(':', open));
            String port = target.substring(target.lastIndexOf(':', open) + 1, open);
            return new Entry("/network/allow", regional(host.toLowerCase(Locale.ROOT)) + ":" + port);
        }
        int colon = endpoint.lastIndexOf(':');
        String address = endpoint.substring(0, colon);
        String literal = address.startsWith("[") ? address.substring(1, address.length() - 1) : address;
        if (!IpAddress.isLiteral(literal)) {
            // A name without the address it resolved to (not what the agent writes): allowed by that name.
            return new Entry("/network/allow", regional(literal.toLowerCase(Locale.ROOT)) + endpoint.substring(colon));
        }
        if (isBuiltInDenyAddress(literal)) {
            return null;
        }
        return new Entry("/network/allow", endpoint);
    }

    /** {@code s3.eu-west-1.amazonaws.com} and its siblings: {@code *.eu-west-1.amazonaws.com}. */
    static String regional(String host) {
        Matcher m = AWS_REGIONAL.matcher(host);
        return m.matches() ? "*." + m.group(1) + ".amazonaws.com" + (m.group(2) == null ? "" : m.group(2)) : host;
    }

    private static Entry fileEntry(String list, String path) {
        if (isBuiltInDenyPath(path) || hasWildcard(path)) {
            return null;
        }
        return new Entry(list, tmpGlob(path));
    }

    /** Under {@code /tmp}, each per-request random run in a name becomes {@code *}: {@code /tmp/job-*}{@code /out.csv}. */
    static String tmpGlob(String path) {
        if (!path.startsWith("/tmp/")) {
            return path;
        }
        String[] segments = path.substring(1).split("/", -1);
        StringBuilder glob = new StringBuilder();
        for (String segment : segments) {
            glob.append('/');
            Matcher run = RANDOM_RUN.matcher(segment);
            int from = 0;
            while (run.find()) {
                if (isRandom(run.group())) {
                    glob.append(segment, from, run.start()).append('*');
                    from = run.end();
                }
            }
            glob.append(segment, from, segment.length());
        }
        return glob.toString();
    }

    private static boolean isRandom(String run) {
        boolean digit = false;
        boolean letter = false;
        for (int i = 0; i < run.length(); i++) {
            char c = run.charAt(i);
            digit |= c >= '0' && c <= '9';
            letter |= Character.isLetter(c);
        }
        return digit && (!letter || run.length() >= 8);
    }

    private static boolean hasWildcard(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
    }

    private static boolean isBuiltInDenyPath(String path) {
        for (Glob denied : BuiltInDeny.FILES) {
            if (denied.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** @param literal an IP address literal, so resolving it looks nothing up */
    private static boolean isBuiltInDenyAddress(String literal) {
        IpAddress address;
        try {
            address = IpAddress.of(InetAddress.getByName(literal));
        } catch (UnknownHostException | RuntimeException notALiteral) {
            return true;
        }
        for (BuiltInDeny.Address denied : BuiltInDeny.ADDRESSES) {
            if (denied.range().contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The suggestion: the policy, the entries it adds with their evidence, and how much it saw. */
    ObjectNode toJson() {
        collapseTmp("/files/read");
        collapseTmp("/files/write");
        ObjectNode policy = tree(policyInForce != null ? policyInForce : EMPTY_POLICY);
        List<Entry> added = new ArrayList<>();
        for (Map.Entry<String, Map<String, Evidence>> list : additions.entrySet()) {
            for (String value : list.getValue().keySet()) {
                if (add(policy, list.getKey(), value)) {
                    added.add(new Entry(list.getKey(), value));
                }
            }
        }
        explicitDns(policy, added);
        List<ObjectNode> rejected = new ArrayList<>();
        Policy parsed = validate(policy, added, rejected);

        ObjectNode body = MAPPER.createObjectNode();
        body.set("policy", tree(parsed.toJson()));
        body.set("policyInForce", policyInForce == null ? null : tree(policyInForce));
        ArrayNode addedJson = body.putArray("added");
        for (Entry entry : added) {
            Evidence evidence = additions.get(entry.list()).get(entry.value());
            ObjectNode node = addedJson.addObject();
            node.put("list", entry.list());
            node.set("entry", entryJson(entry));
            if (evidence == null) {
                node.put("reason", "names the host names of network.allow, which an explicit dns.allow no longer adds");
                continue;
            }
            node.put("count", evidence.count);
            node.put("firstSeen", evidence.firstSeen.toString());
            node.put("lastSeen", evidence.lastSeen.toString());
            node.put("caller", evidence.caller);
            node.put("exampleTarget", evidence.target);
            node.put("exampleRule", evidence.rule);
            ArrayNode operations = node.putArray("operations");
            evidence.operations.forEach(operations::add);
        }
        body.set("rejected", MAPPER.valueToTree(rejected));
        ObjectNode seen = body.putObject("observed");
        seen.put("events", events);
        seen.put("eventsUsed", used);
        seen.put("invocations", requestIds.size());
        seen.put("invocationsCapped", requestIds.size() >= MAX_REQUEST_IDS);
        seen.put("firstSeen", firstSeen == null ? null : firstSeen.toString());
        seen.put("lastSeen", lastSeen == null ? null : lastSeen.toString());
        seen.set("versions", MAPPER.valueToTree(versions));
        seen.put("truncated", truncated);
        seen.set("ignored", MAPPER.valueToTree(ignored));
        return body;
    }

    /** Many distinct names under {@code /tmp} in one list are one scratch area: {@code /tmp/**}. */
    private void collapseTmp(String list) {
        Map<String, Evidence> entries = additions.get(list);
        if (entries == null) {
            return;
        }
        List<String> tmp =
                entries.keySet().stream().filter(e -> e.startsWith("/tmp/")).toList();
        if (tmp.size() <= MAX_TMP_ENTRIES) {
            return;
        }
        Evidence merged = new Evidence();
        for (String entry : tmp) {
            merged.merge(entries.remove(entry));
        }
        entries.put("/tmp/**", merged);
    }

    /** Adds the entry unless the list holds it; false when it was there. */
    private static boolean add(ObjectNode policy, String list, String value) {
        String[] path = list.substring(1).split("/");
        ObjectNode section = policy.withObjectProperty(path[0]);
        if (path[1].equals("allowShipped")) {
            boolean was = section.path("allowShipped").asBoolean(false);
            section.put("allowShipped", true);
            return !was;
        }
        ArrayNode entries = section.withArrayProperty(path[1]);
        for (JsonNode existing : entries) {
            if (existing.isTextual() && existing.asText().equals(value)) {
                return false;
            }
        }
        entries.add(value);
        return true;
    }

    /**
     * Without {@code dns.allow} the policy's resolvable names are those of {@code network.allow}; a name beyond them
     * makes the list explicit, and then it must also carry those names, or they would stop resolving.
     */
    private void explicitDns(ObjectNode policy, List<Entry> added) {
        ObjectNode dns = policy.withObjectProperty("dns");
        JsonNode allow = dns.get("allow");
        if (allow == null || !allow.isArray()) {
            return;
        }
        if (policyInForce != null && tree(policyInForce).path("dns").has("allow")) {
            return;
        }
        // The list exists only through our additions: keep those the derived names do not already allow.
        ArrayNode dnsAdded = (ArrayNode) allow;
        dns.remove("allow");
        PolicyEvaluator evaluator = evaluator(parseQuietly(policy));
        List<String> needed = new ArrayList<>();
        for (JsonNode name : dnsAdded) {
            String host = name.asText().startsWith("*.") ? "x" + name.asText().substring(1) : name.asText();
            if (evaluator == null || evaluator.resolve(host).violation()) {
                needed.add(name.asText());
            }
        }
        added.removeIf(e -> e.list().equals("/dns/allow") && !needed.contains(e.value()));
        if (needed.isEmpty()) {
            return;
        }
        ArrayNode explicit = dns.putArray("allow");
        for (JsonNode entry : policy.path("network").path("allow")) {
            String text = entry.asText();
            String host = text.startsWith("[") ? null : text.replaceFirst(":[0-9]+$", "");
            if (host != null && !host.contains("/") && !IpAddress.isLiteral(host) && !needed.contains(host)) {
                explicit.add(host);
                added.add(new Entry("/dns/allow", host));
            }
        }
        needed.forEach(explicit::add);
    }

    /** Parses the policy with the agent's parser; an entry it rejects is taken out and named in {@code rejected}. */
    private Policy validate(ObjectNode policy, List<Entry> added, List<ObjectNode> rejected) {
        while (true) {
            try {
                return Policy.parse(MAPPER.writeValueAsString(policy), "suggested policy");
            } catch (PolicyException e) {
                JsonNode offending = policy.at(e.pointer());
                int slash = e.pointer().lastIndexOf('/');
                JsonNode parent = slash <= 0 ? null : policy.at(e.pointer().substring(0, slash));
                Entry entry =
                        offending.isTextual() ? new Entry(e.pointer().substring(0, slash), offending.asText()) : null;
                if (parent == null || !parent.isArray() || !added.contains(entry)) {
                    throw new IllegalStateException("the policy in force does not parse: " + e.getMessage(), e);
                }
                ((ArrayNode) parent).remove(Integer.parseInt(e.pointer().substring(slash + 1)));
                added.remove(entry);
                ObjectNode node = MAPPER.createObjectNode();
                node.put("list", entry.list());
                node.put("entry", entry.value());
                node.put("message", e.getMessage());
                rejected.add(node);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static JsonNode entryJson(Entry entry) {
        return entry.list().equals("/native/allowShipped")
                ? MAPPER.getNodeFactory().booleanNode(true)
                : MAPPER.getNodeFactory().textNode(entry.value());
    }

    private static Policy parseQuietly(ObjectNode policy) {
        try {
            return Policy.parse(MAPPER.writeValueAsString(policy), "suggested policy");
        } catch (PolicyException | JsonProcessingException e) {
            return null;
        }
    }

    /** An evaluator for a policy as Lambda would run it: the default task root, no class path beyond it. */
    public static PolicyEvaluator evaluator(Policy policy) {
        return policy == null
                ? null
                : new PolicyEvaluator(
                        policy, new Environment(Map.of(), "/var/lang", Environment.DEFAULT_TASK_ROOT, List.of()));
    }

    private static ObjectNode tree(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored policy is not JSON", e);
        }
    }
}
