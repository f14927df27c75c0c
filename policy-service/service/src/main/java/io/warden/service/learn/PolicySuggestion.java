package io.warden.service.learn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.policy.Action;
import io.warden.policy.Environment;
import io.warden.policy.FileAccess;
import io.warden.policy.Policy;
import io.warden.policy.PolicyEvaluator;
import io.warden.policy.PolicyException;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.policy.internal.BuiltInDeny;
import io.warden.policy.internal.Glob;
import io.warden.policy.internal.IpAddress;
import io.warden.policy.observe.ObservationJson;
import io.warden.policy.observe.ObservedItem;
import io.warden.service.store.Store;
import io.warden.service.store.StoredPolicy;
import io.warden.service.store.ViolationCursor;
import io.warden.service.store.ViolationPage;
import io.warden.service.store.ViolationQuery;
import io.warden.service.store.observations.ObservationStore;
import io.warden.service.store.observations.ObservationTotals;
import io.warden.service.store.observations.ObservedVersion;
import io.warden.service.store.observations.StoredItem;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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
 * The smallest policy that allows what a function did, from two sources: the agent's observations (every operation it
 * saw the function do, allowed or not) and alert-mode violations (in {@code alert} mode every operation the policy does
 * not allow is reported and goes through). Only violations an allow entry can lift count: those decided by an allow
 * list finding no match. Blocked operations (which never happened), deny-list matches and the built-in deny set never
 * become entries, and neither do observed operations the baseline allows. With whole observations (nothing dropped or
 * refused) the allow lists are rebuilt from what was observed, so entries of the policy in force that nothing needed
 * are removed; otherwise the policy in force is kept and only added to. Every entry carries its evidence, the result
 * says how much it rests on and is checked by the policy parser itself.
 */
public final class PolicySuggestion {

    /** At most this many events are read per suggestion, newest first; the result says when it stopped there. */
    public static final int MAX_EVENTS = 100_000;

    static final int PAGE = 1_000;
    /** More distinct generalised names than this under {@code /tmp} in one list become {@code /tmp/**}. */
    static final int MAX_TMP_ENTRIES = 8;
    /**
     * More distinct per-bucket hosts of one family than this ({@code BUCKET.s3.eu-west-1.amazonaws.com}) in one list
     * become the family's pattern ({@code *.s3.eu-west-1.amazonaws.com}).
     */
    static final int MAX_BUCKET_HOSTS = 8;
    /** An entry's evidence lists at most this many of the AWS SDK calls whose endpoint it is, the most frequent. */
    static final int MAX_LISTED_CALLS = 10;
    /** Distinct request ids counted, at most (the count says "at least" beyond it). */
    static final int MAX_REQUEST_IDS = 100_000;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Where a function without a stored policy starts: nothing allowed beyond the baseline. */
    private static final String EMPTY_POLICY = "{\"version\": 1}";

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

        final Set<String> sources = new TreeSet<>();
        /** Whether the entry is an AWS endpoint, and the observed SDK calls that reach it, by item key. */
        boolean awsEndpoint;

        final Map<String, ObservedItem.Aws> awsCalls = new TreeMap<>();

        /** The example caller, target and rule are those of the earliest event. */
        void add(Violation v) {
            add(v.count(), v.time(), v.time(), v.caller(), v.target(), v.rule(), v.operation(), "violations");
        }

        /** An observed item: its rule is the list it needs, its target the item as the agent wrote it. */
        void add(StoredItem observed, String list) {
            ObservedItem item = observed.item();
            add(
                    item.count(),
                    observed.firstSeen(),
                    observed.lastSeen(),
                    item.caller(),
                    ObservationJson.toJson(item),
                    list,
                    operationOf(item),
                    "observations");
        }

        private void add(
                long n,
                Instant first,
                Instant last,
                String exampleCaller,
                String exampleTarget,
                String exampleRule,
                String operation,
                String source) {
            count += n;
            if (firstSeen == null || !first.isAfter(firstSeen)) {
                firstSeen = first;
                caller = exampleCaller != null ? exampleCaller : caller;
                target = exampleTarget;
                rule = exampleRule;
            }
            lastSeen = lastSeen == null || last.isAfter(lastSeen) ? last : lastSeen;
            operations.add(operation);
            sources.add(source);
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
            sources.addAll(other.sources);
            awsEndpoint |= other.awsEndpoint;
            other.awsCalls.values().forEach(this::addAwsCall);
        }

        void addAwsCall(ObservedItem.Aws call) {
            awsCalls.merge(call.key(), call, (a, b) -> a.withCount(a.count() + b.count()));
        }
    }

    /** A list of the policy (its JSON pointer, e.g. {@code /network/allow}) and one entry for it. */
    private record Entry(String list, String value) {}

    /** The lists of a policy that allow, each one a suggestion may fill (and, from observations, empty). */
    static final List<String> ALLOW_LISTS = List.of(
            "/network/allow",
            "/network/listen",
            "/network/accept",
            "/dns/allow",
            "/files/read",
            "/files/write",
            "/processes/allow",
            "/processes/others",
            "/native/allowShipped",
            "/native/allow",
            "/jndi/allow",
            "/deserialization/allow");

    /** What the baseline alone allows, as Lambda would run the function: observed items it allows need no entry. */
    private static final PolicyEvaluator BASELINE = evaluator(parseQuietly(tree("{\"version\": 1}")));

    private final String policyInForce;
    /** By list pointer, then entry. */
    private final Map<String, Map<String, Evidence>> additions = new TreeMap<>();

    private final Map<String, Long> ignored = new TreeMap<>();
    /** The observed AWS SDK calls: they need no entry, but say which endpoint entries are theirs. */
    private final List<ObservedItem.Aws> awsCalls = new ArrayList<>();

    private final Set<String> requestIds = new HashSet<>();
    private final Set<String> versions = new TreeSet<>();
    private long events;
    private long used;
    private Instant firstSeen;
    private Instant lastSeen;
    private boolean truncated;

    private long observedItems;
    private long observedUsed;
    private List<ObservedVersion> observedVersions = List.of();
    private ObservationTotals observationTotals;
    private String version;

    /** @param policyInForce the canonical JSON of the function's policy, or null when none is stored */
    PolicySuggestion(String policyInForce) {
        this.policyInForce = policyInForce;
    }

    /**
     * The suggestion for a function from what the store holds: its policy, its observations and its violations, newest
     * first.
     *
     * @param version only this function version's observations and violations, or null for every version's
     */
    public static ObjectNode suggest(Store store, String function, String version) {
        PolicySuggestion suggestion = new PolicySuggestion(
                store.policy(function).map(StoredPolicy::json).orElse(null));
        suggestion.version = version;
        ObservationStore observations = store.observations();
        for (StoredItem item : observations.items(function, version)) {
            suggestion.add(item);
        }
        suggestion.observedVersions = observations.versions(function).stream()
                .filter(v -> version == null || v.version().equals(version))
                .toList();
        suggestion.observationTotals = observations.totals(function).orElse(null);
        ViolationCursor cursor = null;
        do {
            ViolationPage page = store.violations(new ViolationQuery(function, null, null, null, null, PAGE, cursor));
            for (String line : page.events()) {
                if (suggestion.events >= MAX_EVENTS) {
                    suggestion.truncated = true;
                    return suggestion.toJson();
                }
                Violation violation = ViolationJson.parse(line);
                if (version == null || version.equals(violation.functionVersion())) {
                    suggestion.add(violation);
                }
            }
            cursor = page.next();
        } while (cursor != null);
        return suggestion.toJson();
    }

    /** An observed item: the entry that allows it, unless the baseline (or no list at all) allows it already. */
    void add(StoredItem observed) {
        observedItems++;
        if (observed.item() instanceof ObservedItem.Aws call) {
            awsCalls.add(call);
        }
        Needed needed = entryOf(observed.item());
        Entry entry = needed.entry();
        if (entry == null) {
            ignored.merge(needed.skipped(), 1L, Long::sum);
            return;
        }
        observedUsed++;
        additions
                .computeIfAbsent(entry.list(), l -> new TreeMap<>())
                .computeIfAbsent(entry.value(), e -> new Evidence())
                .add(observed, entry.list());
    }

    /** The entry an observed item needs, or why it needs none (the reason counted in {@code ignored}). */
    private record Needed(Entry entry, String skipped) {
        static Needed entry(Entry entry) {
            return new Needed(entry, entry == null ? "notExpressible" : null);
        }

        static Needed skip(String reason) {
            return new Needed(null, reason);
        }
    }

    /** The entry an observed item needs, generalised as for violations; null when no entry can say it. */
    private static Needed entryOf(ObservedItem item) {
        if (item instanceof ObservedItem.Network n) {
            InetAddress address = literal(n.address());
            if (address != null && isBuiltInDenyAddress(n.address())) {
                return Needed.skip("builtInDeny");
            }
            switch (n.operation()) {
                case "listen" -> {
                    return Needed.entry(new Entry("/network/listen", Integer.toString(n.port())));
                }
                case "accept" -> {
                    return Needed.entry(new Entry("/network/accept", n.address()));
                }
                default -> {
                    boolean named = n.host() != null && !IpAddress.isLiteral(n.host());
                    if (address != null
                            && !BASELINE.connect(named ? n.host() : null, address, n.port())
                                    .violation()) {
                        return Needed.skip("baseline");
                    }
                    if (named) {
                        return Needed.entry(
                                new Entry("/network/allow", n.host().toLowerCase(Locale.ROOT) + ":" + n.port()));
                    }
                    return Needed.entry(new Entry(
                            "/network/allow",
                            (n.address().contains(":") ? "[" + n.address() + "]" : n.address()) + ":" + n.port()));
                }
            }
        }
        if (item instanceof ObservedItem.Dns d) {
            if (!BASELINE.resolve(d.name()).violation()) {
                return Needed.skip("baseline");
            }
            return Needed.entry(new Entry("/dns/allow", d.name().toLowerCase(Locale.ROOT)));
        }
        if (item instanceof ObservedItem.File f) {
            if (f.operation().equals("stat")) {
                return Needed.skip("baseline");
            }
            boolean read = READ_OPERATIONS.contains(f.operation());
            if (hasWildcard(f.path())) {
                // A glob the agent made for many per-request names: kept as it is unless it could reach the built-in
                // deny set (then it names no entry: the operations it stands for become violations to review).
                return Needed.entry(
                        mayReachBuiltInDeny(f.path())
                                ? null
                                : new Entry(read ? "/files/read" : "/files/write", f.path()));
            }
            if (!BASELINE.file(read ? FileAccess.READ : FileAccess.WRITE, f.path())
                    .violation()) {
                return Needed.skip("baseline");
            }
            return Needed.entry(fileEntry(read ? "/files/read" : "/files/write", f.path()));
        }
        if (item instanceof ObservedItem.Process p) {
            return Needed.entry(hasWildcard(p.program()) ? null : new Entry("/processes/allow", p.program()));
        }
        if (item instanceof ObservedItem.Native n) {
            if (!BASELINE.loadNative(n.path()).violation()) {
                return Needed.skip("baseline");
            }
            if (isBuiltInDenyPath(n.path()) || hasWildcard(n.path())) {
                return Needed.entry(null);
            }
            return Needed.entry(
                    tmpGlob(n.path()).equals(n.path())
                            ? new Entry("/native/allow", n.path())
                            : new Entry("/native/allowShipped", "true"));
        }
        if (item instanceof ObservedItem.Jndi j) {
            if (!BASELINE.jndi(j.name()).violation()) {
                return Needed.skip("baseline");
            }
            return Needed.entry(
                    hasWildcard(j.name()) || j.name().contains(" ") ? null : new Entry("/jndi/allow", j.name()));
        }
        if (item instanceof ObservedItem.Deserialization d) {
            return Needed.skip(BASELINE.deserialize(d.className()).violation() ? "builtInDeny" : "baseline");
        }
        // An AWS SDK call needs its endpoint, which the network item of the same call brings; it is that entry's
        // evidence.
        return Needed.skip("awsCall");
    }

    private static InetAddress literal(String address) {
        if (address == null || !IpAddress.isLiteral(address)) {
            return null;
        }
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Whether a glob's literal start could lead into a built-in deny pattern ({@code /proc/...}). A glob whose literal
     * start ends in the pattern's own directory, before its file name ({@code /tmp/**} and
     * {@code /tmp/.warden-policy-revision-*}), is less specific than the pattern, so it cannot lift it.
     */
    private static boolean mayReachBuiltInDeny(String glob) {
        String prefix = glob.substring(0, firstWildcard(glob));
        for (Glob denied : BuiltInDeny.FILES) {
            String deniedPrefix = denied.text().substring(0, firstWildcard(denied.text()));
            if (prefix.startsWith(deniedPrefix)
                    || (deniedPrefix.startsWith(prefix)
                            && deniedPrefix.substring(prefix.length()).indexOf('/') >= 0)) {
                return true;
            }
        }
        return false;
    }

    private static int firstWildcard(String glob) {
        int star = glob.indexOf('*');
        int question = glob.indexOf('?');
        int first = star < 0 ? question : question < 0 ? star : Math.min(star, question);
        return first < 0 ? glob.length() : first;
    }

    private static String operationOf(ObservedItem item) {
        if (item instanceof ObservedItem.Network n) {
            return n.operation();
        }
        if (item instanceof ObservedItem.File f) {
            return f.operation();
        }
        return switch (item.kind()) {
            case "dns" -> "resolve";
            case "process" -> "exec";
            case "native" -> "load";
            case "jndi" -> "lookup";
            default -> item.kind();
        };
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
                return new Entry("/dns/allow", target.toLowerCase(Locale.ROOT));
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
            return new Entry("/network/allow", host.toLowerCase(Locale.ROOT) + ":" + port);
        }
        int colon = endpoint.lastIndexOf(':');
        String address = endpoint.substring(0, colon);
        String literal = address.startsWith("[") ? address.substring(1, address.length() - 1) : address;
        if (!IpAddress.isLiteral(literal)) {
            // A name without the address it resolved to (not what the agent writes): allowed by that name.
            return new Entry("/network/allow", literal.toLowerCase(Locale.ROOT) + endpoint.substring(colon));
        }
        if (isBuiltInDenyAddress(literal)) {
            return null;
        }
        return new Entry("/network/allow", endpoint);
    }

    /**
     * Ties each AWS endpoint entry to the observed SDK calls whose endpoint it is by the SDK's endpoint rules
     * ({@link AwsEndpoints}), and makes more than {@link #MAX_BUCKET_HOSTS} per-bucket hosts of one family the family's
     * pattern. An AWS host no observed call reaches stays the exact host: the smallest entry that allows it, flagged
     * for review.
     */
    private void reachAwsEndpoints() {
        AwsEndpoints endpoints = new AwsEndpoints(awsCalls);
        for (String list : List.of("/network/allow", "/dns/allow")) {
            Map<String, Evidence> entries = additions.get(list);
            if (entries == null) {
                continue;
            }
            Map<String, Set<String>> families = new TreeMap<>();
            for (Map.Entry<String, Evidence> entry : entries.entrySet()) {
                String value = entry.getKey();
                boolean network = list.equals("/network/allow");
                String host =
                        !network ? value : value.startsWith("[") ? "" : value.substring(0, value.lastIndexOf(':'));
                if (!AwsEndpoints.isAws(host)) {
                    continue;
                }
                Evidence evidence = entry.getValue();
                evidence.awsEndpoint = true;
                for (AwsEndpoints.Reach reach : endpoints.reaching(host)) {
                    evidence.addAwsCall(reach.call());
                    if (reach.family() != null) {
                        String family = reach.family() + (network ? value.substring(host.length()) : "");
                        families.computeIfAbsent(family, f -> new TreeSet<>()).add(value);
                    }
                }
            }
            families.forEach((family, hosts) -> {
                if (hosts.size() > MAX_BUCKET_HOSTS) {
                    Evidence merged = entries.computeIfAbsent(family, f -> new Evidence());
                    hosts.forEach(host -> merged.merge(entries.remove(host)));
                }
            });
        }
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
        reachAwsEndpoints();
        collapseTmp("/files/read");
        collapseTmp("/files/write");
        dropCovered("/files/write", "/files/write");
        dropCovered("/files/read", "/files/write");
        dropCovered("/files/read", "/files/read");
        boolean narrowed = mayNarrow();
        ObjectNode inForce = policyInForce == null ? null : tree(policyInForce);
        ObjectNode policy = tree(policyInForce != null ? policyInForce : EMPTY_POLICY);
        if (narrowed) {
            clearAllowLists(policy);
        }
        List<Entry> added = new ArrayList<>();
        for (Map.Entry<String, Map<String, Evidence>> list : additions.entrySet()) {
            for (String value : addAll(policy, list.getKey(), list.getValue().keySet())) {
                added.add(new Entry(list.getKey(), value));
            }
        }
        explicitDns(policy, added);
        List<ObjectNode> rejected = new ArrayList<>();
        Policy parsed = validate(policy, added, rejected);
        ObjectNode suggested = tree(parsed.toJson());

        ObjectNode body = MAPPER.createObjectNode();
        body.set("policy", suggested);
        body.set("policyInForce", inForce);
        ObjectNode base = inForce != null ? inForce : tree(EMPTY_POLICY);
        ArrayNode addedJson = body.putArray("added");
        List<Entry> suggestedEntries = entries(suggested);
        List<Entry> baseEntries = entries(base);
        Set<Entry> inSuggested = new HashSet<>(suggestedEntries);
        Set<Entry> inBase = new HashSet<>(baseEntries);
        for (Entry entry : suggestedEntries) {
            if (!inBase.contains(entry)) {
                addedJson.add(entryJson(entry, true));
            }
        }
        ArrayNode removedJson = body.putArray("removed");
        for (Entry entry : baseEntries) {
            if (!inSuggested.contains(entry)) {
                removedJson.add(entryJson(entry, false));
            }
        }
        ArrayNode keptJson = body.putArray("kept");
        for (Entry entry : suggestedEntries) {
            if (inBase.contains(entry)) {
                keptJson.add(entryJson(entry, true));
            }
        }
        body.set("rejected", MAPPER.valueToTree(rejected));
        body.set("observed", confidence(narrowed));
        return body;
    }

    /** One entry of the diff, with its evidence when it has some. */
    private ObjectNode entryJson(Entry entry, boolean withEvidence) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("list", entry.list());
        node.set("entry", entryJson(entry));
        if (!withEvidence) {
            return node;
        }
        Evidence evidence = additions.getOrDefault(entry.list(), Map.of()).get(entry.value());
        if (evidence == null) {
            node.put(
                    "reason",
                    entry.list().equals("/dns/allow")
                            ? "names the host names of network.allow, which an explicit dns.allow no longer adds"
                            : "in the policy in force; nothing observed needed it, and the suggestion does not narrow");
            return node;
        }
        node.put("count", evidence.count);
        node.put("firstSeen", evidence.firstSeen.toString());
        node.put("lastSeen", evidence.lastSeen.toString());
        node.put("caller", evidence.caller);
        node.put("exampleTarget", evidence.target);
        node.put("exampleRule", evidence.rule);
        ArrayNode operations = node.putArray("operations");
        evidence.operations.forEach(operations::add);
        ArrayNode sources = node.putArray("sources");
        evidence.sources.forEach(sources::add);
        if (evidence.awsEndpoint) {
            node.set("aws", awsJson(evidence));
        }
        return node;
    }

    /** An AWS endpoint entry's SDK calls: the most frequent ones, how many there are, or why it has none. */
    private static ObjectNode awsJson(Evidence evidence) {
        ObjectNode aws = MAPPER.createObjectNode();
        ArrayNode calls = aws.putArray("calls");
        evidence.awsCalls.values().stream()
                .sorted(Comparator.comparingLong(ObservedItem.Aws::count).reversed())
                .limit(MAX_LISTED_CALLS)
                .forEach(call -> calls.add(tree(ObservationJson.toJson(call))));
        aws.put("distinctCalls", evidence.awsCalls.size());
        if (evidence.awsCalls.isEmpty()) {
            aws.put(
                    "note",
                    "no observed AWS SDK call has this endpoint by the SDK's endpoint rules: review what connects here"
                            + " (another SDK, plain HTTP, or calls not observed)");
        }
        return aws;
    }

    /** Every entry of the policy's allow lists, as text (an object entry as its JSON). */
    private static List<Entry> entries(ObjectNode policy) {
        List<Entry> entries = new ArrayList<>();
        for (String list : ALLOW_LISTS) {
            JsonNode value = policy.at(list);
            if (value.isBoolean() && value.asBoolean()) {
                entries.add(new Entry(list, "true"));
            }
            for (JsonNode entry : value.isArray() ? value : MAPPER.createArrayNode()) {
                entries.add(new Entry(list, entry.isTextual() ? entry.asText() : entry.toString()));
            }
        }
        return entries;
    }

    /**
     * Whether the suggestion may leave out what the policy in force allows and nothing observed needed: only when
     * observations are what it rests on and they are whole (no item dropped by the agent's cap or refused by the
     * store's), so that nothing the period observed goes missing. {@code processes.others} is never narrowed:
     * observations do not cover it.
     */
    private boolean mayNarrow() {
        if (observedItems == 0) {
            return false;
        }
        for (ObservedVersion observed : observedVersions) {
            if (observed.dropped() > 0 || observed.refusedItems() > 0) {
                return false;
            }
        }
        return observationTotals == null || observationTotals.refusedLines() == 0;
    }

    private static void clearAllowLists(ObjectNode policy) {
        for (String list : ALLOW_LISTS) {
            if (list.equals("/processes/others")) {
                continue;
            }
            String[] path = list.substring(1).split("/");
            JsonNode section = policy.get(path[0]);
            if (section instanceof ObjectNode object) {
                object.remove(path[1]);
            }
        }
    }

    /** How much the suggestion saw, and what that means for trusting it (docs/policy.md, "Suggested policy"). */
    private ObjectNode confidence(boolean narrowed) {
        ObjectNode seen = MAPPER.createObjectNode();
        seen.put("basis", observedItems > 0 ? "observations and violations" : "violations");
        seen.put("narrowed", narrowed);
        seen.put("version", version);
        seen.put("events", events);
        seen.put("eventsUsed", used);
        seen.put("invocations", requestIds.size());
        seen.put("invocationsCapped", requestIds.size() >= MAX_REQUEST_IDS);
        seen.put("firstSeen", firstSeen == null ? null : firstSeen.toString());
        seen.put("lastSeen", lastSeen == null ? null : lastSeen.toString());
        seen.set("versions", MAPPER.valueToTree(versions));
        seen.put("truncated", truncated);
        seen.set("ignored", MAPPER.valueToTree(ignored));
        ObjectNode observations = seen.putObject("observations");
        long lines = 0;
        long dropped = 0;
        long refused = 0;
        Instant first = null;
        Instant last = null;
        ArrayNode perVersion = observations.putArray("versions");
        for (ObservedVersion observed : observedVersions) {
            lines += observed.lines();
            dropped += observed.dropped();
            refused += observed.refusedItems();
            first = first == null || observed.firstSeen().isBefore(first) ? observed.firstSeen() : first;
            last = last == null || observed.lastSeen().isAfter(last) ? observed.lastSeen() : last;
            ObjectNode node = perVersion.addObject();
            node.put("version", observed.version());
            node.put("lines", observed.lines());
            node.put("firstSeen", observed.firstSeen().toString());
            node.put("lastSeen", observed.lastSeen().toString());
            node.put("dropped", observed.dropped());
            node.put("refusedItems", observed.refusedItems());
        }
        observations.put("items", observedItems);
        observations.put("itemsUsed", observedUsed);
        observations.put("lines", lines);
        observations.put("firstSeen", first == null ? null : first.toString());
        observations.put("lastSeen", last == null ? null : last.toString());
        observations.put("dropped", dropped);
        observations.put("refusedItems", refused);
        observations.put("refusedLines", observationTotals == null ? 0 : observationTotals.refusedLines());
        ArrayNode warnings = seen.putArray("warnings");
        if (observedItems == 0) {
            warnings.add("no observations: the suggestion adds what alert-mode violations show and removes nothing");
        } else if (!narrowed) {
            warnings.add("observations are incomplete (" + dropped + " items dropped by the agent, " + refused
                    + " refused by the store): nothing of the policy in force is removed");
        }
        Trust.warnings(min(first, firstSeen), max(last, lastSeen), lines + requestIds.size())
                .forEach(warnings::add);
        return seen;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    /**
     * Drops the additions to {@code list} that a {@code DIR/**} addition to {@code covering} already allows (a path
     * allowed for writing is readable too), folding their evidence into it: the smallest policy has no entry that
     * another makes redundant.
     */
    private void dropCovered(String list, String covering) {
        Map<String, Evidence> entries = additions.get(list);
        Map<String, Evidence> wide = additions.get(covering);
        if (entries == null || wide == null) {
            return;
        }
        for (Map.Entry<String, Evidence> tree : List.copyOf(wide.entrySet())) {
            if (!tree.getKey().endsWith("/**")
                    || hasWildcard(tree.getKey().substring(0, tree.getKey().length() - 3))) {
                continue;
            }
            String below = tree.getKey().substring(0, tree.getKey().length() - 2);
            for (String entry : List.copyOf(entries.keySet())) {
                boolean itself = list.equals(covering) && entry.equals(tree.getKey());
                if (!itself && (entry + "/").startsWith(below)) {
                    tree.getValue().merge(entries.remove(entry));
                }
            }
        }
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

    /** Adds the entries the list does not hold yet (looked up in a set: thousands of hosts stay fast); the added ones. */
    private static List<String> addAll(ObjectNode policy, String list, Collection<String> values) {
        String[] path = list.substring(1).split("/");
        ObjectNode section = policy.withObjectProperty(path[0]);
        if (path[1].equals("allowShipped")) {
            boolean was = section.path("allowShipped").asBoolean(false);
            section.put("allowShipped", true);
            return was ? List.of() : List.of("true");
        }
        ArrayNode entries = section.withArrayProperty(path[1]);
        Set<String> held = new HashSet<>();
        for (JsonNode existing : entries) {
            if (existing.isTextual()) {
                held.add(existing.asText());
            }
        }
        List<String> added = new ArrayList<>();
        for (String value : values) {
            if (held.add(value)) {
                entries.add(value);
                added.add(value);
            }
        }
        return added;
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
