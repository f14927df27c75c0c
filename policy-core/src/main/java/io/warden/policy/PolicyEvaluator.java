package io.warden.policy;

import io.warden.policy.internal.Baseline;
import io.warden.policy.internal.BuiltInDeny;
import io.warden.policy.internal.ClassPattern;
import io.warden.policy.internal.ConnectCache;
import io.warden.policy.internal.DecisionCache;
import io.warden.policy.internal.DiagnosticCommands;
import io.warden.policy.internal.Glob;
import io.warden.policy.internal.HostPattern;
import io.warden.policy.internal.Inbound;
import io.warden.policy.internal.IpAddress;
import io.warden.policy.internal.JndiNames;
import io.warden.policy.internal.NetworkRule;
import io.warden.policy.internal.OtherProcessOperation;
import io.warden.policy.internal.PortRange;
import io.warden.policy.internal.ProgramPattern;
import io.warden.policy.internal.Rule;
import io.warden.policy.internal.Section;
import io.warden.policy.internal.UrlPattern;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides operations against a policy, the built-in deny set and the baseline. Thread-safe. Decisions are cached
 * ({@link DecisionCache#MAX_ENTRIES} per cache), so an answer already known costs a map lookup and no allocation.
 *
 * <p>Order, first match wins: the section's {@code deny} list (denyMode); the built-in deny set unless an allow entry
 * names the target explicitly (denyMode); the baseline; the allow lists; otherwise a violation (mode).
 */
public final class PolicyEvaluator {
    private static final String BASELINE = "baseline";

    private final String workingDirectory;
    private final Baseline baseline;

    private final List<NetworkRule> networkAllow;
    private final List<NetworkRule> networkDeny;
    private final Decision[] networkAllowed;
    private final Decision[] networkDenied;
    private final Decision[] networkBuiltInDenied;
    private final Decision networkBaseline;
    private final Decision networkNoMatch;
    private final ConnectCache connectCache = new ConnectCache();
    private final Inbound inbound;
    private final Decision[] listenAllowed;
    private final Decision listenNoMatch;
    private final Decision[] acceptAllowed;
    private final Decision acceptNoMatch;

    private final List<HostPattern> dnsAllow = new ArrayList<>();
    private final List<Decision> dnsAllowed = new ArrayList<>();
    private final List<HostPattern> dnsDeny = new ArrayList<>();
    private final List<Decision> dnsDenied = new ArrayList<>();
    private final Decision dnsBaseline;
    private final Decision dnsLiteral;
    private final Decision dnsNoMatch;
    private final DecisionCache<String> dnsCache = new DecisionCache<>();

    private final List<Glob> filesRead;
    private final List<Glob> filesWrite;
    private final List<Glob> filesDeny;
    private final Decision[] filesReadAllowed;
    private final Decision[] filesWriteAllowed;
    private final Decision[] filesDenied;
    private final Decision[] filesBuiltInDenied;
    private final Decision filesBaseline;
    private final Decision filesReadNoMatch;
    private final Decision filesWriteNoMatch;
    private final Decision filesStatNotDenied;
    private final List<DecisionCache<String>> fileCaches = new ArrayList<>();

    private final RuleDecisions<ProgramPattern> processes;
    /** The compiled argument patterns of the processes entries that have them, by entry. */
    private final Map<ProgramPattern, ProgramPattern.Arguments> processArguments = new IdentityHashMap<>();

    private final Set<ProgramPattern> processDeny = Collections.newSetFromMap(new IdentityHashMap<>());
    private final DecisionCache<String> processCache = new DecisionCache<>();
    private final List<OtherProcessOperation> otherProcesses;
    private final Decision[] otherProcessAllowed;
    private final Decision otherProcessNoMatch;

    private final RuleDecisions<Glob> nativeLibraries;
    private final Decision nativeBaseline;
    /** Null unless the policy lets shipped libraries load from anywhere ({@code native.allowShipped}). */
    private final Decision nativeShipped;

    private final DecisionCache<String> nativeCache = new DecisionCache<>();

    private final RuleDecisions<UrlPattern> jndi;
    private final Decision jndiLocal;
    private final DecisionCache<String> jndiCache = new DecisionCache<>();

    private final RuleDecisions<ClassPattern> deserialization;
    private final List<ClassPattern> deserializationAllow;
    private final Action gadgetAction;
    /** One decision per built-in gadget pattern; made on the first deserialization, which most functions never do. */
    private volatile Decision[] gadgetDenied;

    private final Decision ordinaryClass;
    private final DecisionCache<String> deserializationCache = new DecisionCache<>();

    /** For the denyMode of what a diagnostic command reaches, asked only when one runs. */
    private final Policy policy;

    public PolicyEvaluator(Policy policy, Environment environment) {
        this.policy = policy;
        workingDirectory = environment.userDir();
        baseline = new Baseline(environment);

        Section<NetworkRule> network = policy.network();
        Action networkDenyAction = network.denyMode().violationAction();
        networkAllow = network.allow();
        networkDeny = network.deny();
        networkAllowed = decisions(Action.ALLOWED, Category.NETWORK, "network.allow", networkAllow.size());
        networkDenied = decisions(networkDenyAction, Category.NETWORK, "network.deny", networkDeny.size());
        networkBuiltInDenied = new Decision[BuiltInDeny.ADDRESSES.size()];
        for (int i = 0; i < networkBuiltInDenied.length; i++) {
            networkBuiltInDenied[i] = new Decision(
                    networkDenyAction,
                    Category.NETWORK,
                    "builtin.deny " + BuiltInDeny.ADDRESSES.get(i).name());
        }
        networkBaseline = new Decision(Action.ALLOWED, Category.NETWORK, BASELINE);
        networkNoMatch = new Decision(network.mode().violationAction(), Category.NETWORK, "network.allow (no match)");
        inbound = policy.inbound();
        listenAllowed = decisions(
                Action.ALLOWED,
                Category.NETWORK,
                "network.listen",
                inbound.listen().size());
        listenNoMatch = new Decision(network.mode().violationAction(), Category.NETWORK, "network.listen (no match)");
        acceptAllowed = decisions(
                Action.ALLOWED,
                Category.NETWORK,
                "network.accept",
                inbound.accept().size());
        acceptNoMatch = new Decision(network.mode().violationAction(), Category.NETWORK, "network.accept (no match)");

        Section<HostPattern> dns = policy.dns();
        Action dnsDenyAction = dns.denyMode().violationAction();
        for (int i = 0; i < dns.deny().size(); i++) {
            dnsDeny.add(dns.deny().get(i));
            dnsDenied.add(new Decision(dnsDenyAction, Category.DNS, "dns.deny[" + i + "]"));
        }
        for (int i = 0; i < networkDeny.size(); i++) {
            if (networkDeny.get(i).host() != null) {
                dnsDeny.add(networkDeny.get(i).host());
                dnsDenied.add(new Decision(dnsDenyAction, Category.DNS, "network.deny[" + i + "]"));
            }
        }
        if (dns.allow() != null) {
            for (int i = 0; i < dns.allow().size(); i++) {
                dnsAllow.add(dns.allow().get(i));
                dnsAllowed.add(new Decision(Action.ALLOWED, Category.DNS, "dns.allow[" + i + "]"));
            }
        } else {
            for (int i = 0; i < networkAllow.size(); i++) {
                if (networkAllow.get(i).host() != null) {
                    dnsAllow.add(networkAllow.get(i).host());
                    dnsAllowed.add(new Decision(Action.ALLOWED, Category.DNS, "network.allow[" + i + "]"));
                }
            }
        }
        dnsBaseline = new Decision(Action.ALLOWED, Category.DNS, BASELINE);
        dnsLiteral = new Decision(Action.ALLOWED, Category.DNS, "builtin.allow ip-literal");
        dnsNoMatch = new Decision(dns.mode().violationAction(), Category.DNS, "dns.allow (no match)");

        filesRead = policy.files().read();
        filesWrite = policy.files().write();
        filesDeny = policy.files().deny();
        Action filesDenyAction = policy.files().denyMode().violationAction();
        filesReadAllowed = decisions(Action.ALLOWED, Category.FILE, "files.read", filesRead.size());
        filesWriteAllowed = decisions(Action.ALLOWED, Category.FILE, "files.write", filesWrite.size());
        filesDenied = decisions(filesDenyAction, Category.FILE, "files.deny", filesDeny.size());
        filesBuiltInDenied = new Decision[BuiltInDeny.FILES.size()];
        for (int i = 0; i < filesBuiltInDenied.length; i++) {
            filesBuiltInDenied[i] = new Decision(
                    filesDenyAction,
                    Category.FILE,
                    "builtin.deny " + BuiltInDeny.FILES.get(i).text());
        }
        filesBaseline = new Decision(Action.ALLOWED, Category.FILE, BASELINE);
        Action filesAction = policy.files().mode().violationAction();
        filesReadNoMatch = new Decision(filesAction, Category.FILE, "files.read (no match)");
        filesWriteNoMatch = new Decision(filesAction, Category.FILE, "files.write (no match)");
        filesStatNotDenied = new Decision(Action.ALLOWED, Category.FILE, "builtin.allow stat");
        for (int i = 0; i < FileAccess.values().length; i++) {
            fileCaches.add(new DecisionCache<>());
        }

        processes = new RuleDecisions<>(policy.processes(), Category.PROCESS, "processes");
        processDeny.addAll(policy.processes().deny());
        for (List<ProgramPattern> list :
                List.of(policy.processes().allow(), policy.processes().deny())) {
            for (ProgramPattern rule : list) {
                if (rule.args() != null) {
                    processArguments.put(rule, rule.arguments(environment.javaHome()));
                }
            }
        }
        otherProcesses = policy.otherProcesses();
        otherProcessAllowed = decisions(Action.ALLOWED, Category.PROCESS, "processes.others", otherProcesses.size());
        otherProcessNoMatch = new Decision(
                policy.processes().mode().violationAction(), Category.PROCESS, "processes.others (no match)");
        nativeLibraries = new RuleDecisions<>(policy.nativeLibraries(), Category.NATIVE, "native");
        nativeBaseline = new Decision(Action.ALLOWED, Category.NATIVE, BASELINE);
        nativeShipped = policy.allowsShippedNative()
                ? new Decision(Action.ALLOWED, Category.NATIVE, "native.allowShipped")
                : null;
        jndi = new RuleDecisions<>(policy.jndi(), Category.JNDI, "jndi");
        jndiLocal = new Decision(Action.ALLOWED, Category.JNDI, "builtin.allow jndi-local");
        deserialization = new RuleDecisions<>(policy.deserialization(), Category.DESERIALIZATION, "deserialization");
        deserializationAllow = policy.deserialization().allow();
        gadgetAction = policy.deserialization().denyMode().violationAction();
        ordinaryClass = new Decision(Action.ALLOWED, Category.DESERIALIZATION, "builtin.allow ordinary-class");
    }

    /**
     * A TCP connect, or a UDP connect or send.
     *
     * @param hostNameOrNull the name the address was resolved from, when known
     */
    public Decision connect(String hostNameOrNull, InetAddress address, int port) {
        Decision decision = connectCache.get(hostNameOrNull, address, port);
        if (decision == null) {
            String host = hostNameOrNull == null ? null : HostPattern.normalize(hostNameOrNull);
            decision = decideConnect(host, IpAddress.of(address), port);
            connectCache.put(hostNameOrNull, address, port, decision);
        }
        return decision;
    }

    private Decision decideConnect(String host, IpAddress address, int port) {
        for (int i = 0; i < networkDeny.size(); i++) {
            if (networkDeny.get(i).matches(host, address, port)) {
                return networkDenied[i];
            }
        }
        for (int i = 0; i < networkBuiltInDenied.length; i++) {
            BuiltInDeny.Address denied = BuiltInDeny.ADDRESSES.get(i);
            if (denied.range().contains(address) && !namesAddress(denied, host, address, port)) {
                return networkBuiltInDenied[i];
            }
        }
        if (baseline.allowsConnect(host, address, port)) {
            return networkBaseline;
        }
        for (int i = 0; i < networkAllow.size(); i++) {
            if (networkAllow.get(i).matches(host, address, port)) {
                return networkAllowed[i];
            }
        }
        return networkNoMatch;
    }

    /** True when an allow entry is an address or range at least as specific as the built-in entry and matches. */
    private boolean namesAddress(BuiltInDeny.Address denied, String host, IpAddress address, int port) {
        for (NetworkRule rule : networkAllow) {
            if (rule.addresses() != null
                    && rule.addresses().isV4() == denied.range().isV4()
                    && rule.addresses().prefixLength() >= denied.range().prefixLength()
                    && rule.matches(host, address, port)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A server socket bound to a local port, to listen on it.
     *
     * @param port 0 when the system picks the port
     */
    public Decision listen(int port) {
        List<PortRange> ports = inbound.listen();
        for (int i = 0; i < ports.size(); i++) {
            if (ports.get(i).matches(port)) {
                return listenAllowed[i];
            }
        }
        return listenNoMatch;
    }

    /** A connection accepted from a peer: network.deny first, then network.accept. */
    public Decision accept(InetAddress peer, int port) {
        IpAddress address = IpAddress.of(peer);
        for (int i = 0; i < networkDeny.size(); i++) {
            if (networkDeny.get(i).addresses() != null && networkDeny.get(i).matches(null, address, port)) {
                return networkDenied[i];
            }
        }
        List<NetworkRule> peers = inbound.accept();
        for (int i = 0; i < peers.size(); i++) {
            if (peers.get(i).matches(null, address, port)) {
                return acceptAllowed[i];
            }
        }
        return acceptNoMatch;
    }

    /** A DNS lookup of a name. */
    public Decision resolve(String hostName) {
        Decision decision = dnsCache.get(hostName);
        if (decision == null) {
            decision = decideResolve(HostPattern.normalize(hostName));
            dnsCache.put(hostName, decision);
        }
        return decision;
    }

    private Decision decideResolve(String host) {
        if (host.isEmpty() || IpAddress.isLiteral(host)) {
            return dnsLiteral;
        }
        for (int i = 0; i < dnsDeny.size(); i++) {
            if (dnsDeny.get(i).matches(host)) {
                return dnsDenied.get(i);
            }
        }
        if (baseline.allowsResolve(host)) {
            return dnsBaseline;
        }
        for (int i = 0; i < dnsAllow.size(); i++) {
            if (dnsAllow.get(i).matches(host)) {
                return dnsAllowed.get(i);
            }
        }
        return dnsNoMatch;
    }

    /**
     * A file operation.
     *
     * @param path absolute and normalised by the caller; a path that is not is normalised against user.dir first
     */
    public Decision file(FileAccess access, String path) {
        DecisionCache<String> cache = fileCaches.get(access.ordinal());
        Decision decision = cache.get(path);
        if (decision == null) {
            decision = decideFile(access, PathNormalizer.normalize(path, workingDirectory));
            cache.put(path, decision);
        }
        return decision;
    }

    private Decision decideFile(FileAccess access, String path) {
        for (int i = 0; i < filesDeny.size(); i++) {
            if (filesDeny.get(i).matches(path)) {
                return filesDenied[i];
            }
        }
        for (int i = 0; i < filesBuiltInDenied.length; i++) {
            Glob denied = BuiltInDeny.FILES.get(i);
            if (denied.matches(path) && !namesPath(access, denied, path)) {
                return filesBuiltInDenied[i];
            }
        }
        if (access == FileAccess.STAT) {
            return filesStatNotDenied;
        }
        boolean modifies = access.modifies();
        if (modifies ? baseline.allowsWrite(path) : baseline.allowsRead(path)) {
            return filesBaseline;
        }
        if (!modifies) {
            for (int i = 0; i < filesRead.size(); i++) {
                if (filesRead.get(i).matches(path)) {
                    return filesReadAllowed[i];
                }
            }
        }
        for (int i = 0; i < filesWrite.size(); i++) {
            if (filesWrite.get(i).matches(path)) {
                return filesWriteAllowed[i];
            }
        }
        return modifies ? filesWriteNoMatch : filesReadNoMatch;
    }

    /** True when an allow pattern for this access matches and is at least as specific as the built-in pattern. */
    private boolean namesPath(FileAccess access, Glob denied, String path) {
        return (!access.modifies() && namesPath(filesRead, denied, path)) || namesPath(filesWrite, denied, path);
    }

    private static boolean namesPath(List<Glob> allow, Glob denied, String path) {
        for (Glob glob : allow) {
            if (glob.literalPrefixLength() >= denied.literalPrefixLength() && glob.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** Starting a process with the JVM's own environment. @param command the command line as given to ProcessBuilder */
    public Decision process(List<String> command) {
        return process(command, locatedWithoutSearch(command), true);
    }

    /**
     * Starting a process, its program located without a search: a path against the working directory, a bare name
     * nowhere. @param inheritsEnvironment see {@link #process(List, String, boolean)}
     */
    public Decision process(List<String> command, boolean inheritsEnvironment) {
        return process(command, locatedWithoutSearch(command), inheritsEnvironment);
    }

    private String locatedWithoutSearch(List<String> command) {
        String program = command.isEmpty() || command.get(0) == null ? "" : command.get(0);
        return program.indexOf('/') >= 0 ? PathNormalizer.normalize(program, workingDirectory) : null;
    }

    /**
     * Starting a process whose program the caller has located as the JDK will run it.
     *
     * @param command the command line the JDK will start
     * @param programPath the absolute path of the program: a relative one resolved against the child's directory, a
     *     bare name found through {@code PATH}; null when a bare name is found nowhere. Path entries of the policy
     *     match it; name entries match {@code command[0]} as given.
     * @param inheritsEnvironment whether the process gets the JVM's own environment unchanged; entries with argument
     *     patterns match only then
     */
    public Decision process(List<String> command, String programPath, boolean inheritsEnvironment) {
        String key = (inheritsEnvironment ? "" : "env\0")
                + (programPath == null ? "" : programPath)
                + '\0'
                + String.join("\0", command);
        Decision decision = processCache.get(key);
        if (decision == null) {
            String program = command.isEmpty() || command.get(0) == null ? "" : command.get(0);
            decision = processes.decide(
                    rule -> {
                        if (!rule.matchesProgram(program, programPath)) {
                            return false;
                        }
                        ProgramPattern.Arguments arguments = processArguments.get(rule);
                        // An allow entry with arguments trusts the program only with the JVM's environment; a deny
                        // entry
                        // applies whatever the environment.
                        return arguments == null
                                || ((inheritsEnvironment || processDeny.contains(rule)) && arguments.match(command));
                    },
                    null);
            processCache.put(key, decision);
        }
        return decision;
    }

    /** Signalling or inspecting a process this JVM did not start. @param operation "signal" or "inspect" */
    public Decision otherProcess(String operation) {
        for (int i = 0; i < otherProcesses.size(); i++) {
            if (otherProcesses.get(i).text().equals(operation)) {
                return otherProcessAllowed[i];
            }
        }
        return otherProcessNoMatch;
    }

    /**
     * True for a decision the baseline made: what every function may do (the JDK's own libraries, its directories, the
     * runtime's endpoints), which no policy needs to list, so observation leaves it out.
     */
    public boolean isBaseline(Decision decision) {
        return BASELINE.equals(decision.rule());
    }

    /** Loading a native library. */
    public Decision loadNative(String absolutePath) {
        Decision decision = nativeCache.get(absolutePath);
        if (decision == null) {
            String path = PathNormalizer.normalize(absolutePath, workingDirectory);
            decision = nativeLibraries.decide(
                    rule -> rule.matches(path), baseline.allowsNative(path) ? nativeBaseline : null);
            nativeCache.put(absolutePath, decision);
        }
        return decision;
    }

    /**
     * The decision for a library that {@link #loadNative} did not allow but whose bytes are those of a library shipped
     * in the function's own read-only code; null when the policy does not allow such libraries. The caller compares
     * the bytes and loads what it compared.
     */
    public Decision shippedNative() {
        return nativeShipped;
    }

    /** True for the decision on a library that no list names (not one a deny entry names). */
    public boolean isUnlistedNative(Decision decision) {
        return decision == nativeLibraries.noMatch;
    }

    /**
     * A downcall through the foreign function API (JDK 22 and later): native code called directly, below every other
     * check. No entry of the {@code native} section names one, so it is a violation under that section's mode.
     */
    public Decision foreignDowncall() {
        return new Decision(policy.mode(Category.NATIVE).violationAction(), Category.NATIVE, "native.allow (no match)");
    }

    /**
     * A diagnostic command run inside the JVM ({@code DiagnosticCommandMBean}), judged by its name alone: allowed when
     * it only reads the VM's state; any other is in the built-in deny set, under the denyMode of the category it
     * reaches ({@link DiagnosticCommands#reach}).
     */
    public Decision diagnosticCommand(String command) {
        Category reach = DiagnosticCommands.reach(command);
        if (reach == null) {
            return new Decision(Action.ALLOWED, Category.NATIVE, "builtin.allow diagnostic-read");
        }
        return new Decision(policy.denyMode(reach).violationAction(), reach, "builtin.deny diagnostic-command");
    }

    /** A JNDI lookup. @param name a JNDI name or URL, e.g. {@code ldap://evil:1389/a} */
    public Decision jndi(String name) {
        Decision decision = jndiCache.get(name);
        if (decision == null) {
            decision = jndi.decide(rule -> rule.matches(name), JndiNames.isRemote(name) ? null : jndiLocal);
            jndiCache.put(name, decision);
        }
        return decision;
    }

    /**
     * The JDK making a URL context for a scheme, whatever name it is for: a name the JDK reads through a caller's object
     * is judged here, by the scheme the JDK picked. A remote scheme needs an allow entry of that scheme (names as
     * strings are judged entry by entry at their lookup).
     */
    public Decision jndiUrlContext(String scheme) {
        String name = scheme + ":";
        if (!JndiNames.isRemote(name)) {
            return jndiLocal;
        }
        return jndi.firstAllowed(rule -> scheme.equalsIgnoreCase(JndiNames.scheme(rule.text())));
    }

    /** A JNDI environment Warden cannot read without running the caller's code: as a name no allow entry matches. */
    public Decision jndiUnreadable() {
        return jndi.firstAllowed(rule -> false);
    }

    /** Deserializing an instance of a class. @param className a binary name, or an array descriptor */
    public Decision deserialize(String className) {
        Decision decision = deserializationCache.get(className);
        if (decision == null) {
            String element = elementClass(className);
            decision = deserialization.decide(rule -> rule.matches(element), gadgetOrOrdinary(element));
            deserializationCache.put(className, decision);
        }
        return decision;
    }

    /**
     * The decision for a class no deny entry names: a gadget unless an allow entry names it at least as specifically,
     * otherwise ordinary. Allow entries then only exempt gadgets, so this is passed as the "baseline" of the section.
     */
    private Decision gadgetOrOrdinary(String className) {
        Decision[] denied = gadgetDenied();
        for (int i = 0; i < denied.length; i++) {
            ClassPattern gadget = BuiltInDeny.Gadgets.PATTERNS.get(i);
            if (gadget.matches(className) && !namesClass(gadget, className)) {
                return denied[i];
            }
        }
        return ordinaryClass;
    }

    private Decision[] gadgetDenied() {
        Decision[] denied = gadgetDenied;
        if (denied == null) {
            List<ClassPattern> gadgets = BuiltInDeny.Gadgets.PATTERNS;
            denied = new Decision[gadgets.size()];
            for (int i = 0; i < denied.length; i++) {
                denied[i] = new Decision(
                        gadgetAction,
                        Category.DESERIALIZATION,
                        "builtin.deny gadget " + gadgets.get(i).text());
            }
            gadgetDenied = denied;
        }
        return denied;
    }

    /** True when an allow pattern matches and is at least as specific as the gadget pattern. */
    private boolean namesClass(ClassPattern gadget, String className) {
        for (ClassPattern pattern : deserializationAllow) {
            if (pattern.literalPrefixLength() >= gadget.literalPrefixLength() && pattern.matches(className)) {
                return true;
            }
        }
        return false;
    }

    /** {@code [[Lcom.example.Foo;} is {@code com.example.Foo}; a primitive array is its descriptor. */
    private static String elementClass(String className) {
        int dimensions = 0;
        while (dimensions < className.length() && className.charAt(dimensions) == '[') {
            dimensions++;
        }
        if (dimensions > 0
                && className.length() > dimensions + 1
                && className.charAt(dimensions) == 'L'
                && className.endsWith(";")) {
            return className.substring(dimensions + 1, className.length() - 1);
        }
        return className;
    }

    /** The cached decisions of one category, for tests of the cache bound. */
    int cachedDecisions(Category category) {
        switch (category) {
            case NETWORK:
                return connectCache.size();
            case DNS:
                return dnsCache.size();
            case FILE:
                int total = 0;
                for (DecisionCache<String> cache : fileCaches) {
                    total += cache.size();
                }
                return total;
            case PROCESS:
                return processCache.size();
            case NATIVE:
                return nativeCache.size();
            case JNDI:
                return jndiCache.size();
            default:
                return deserializationCache.size();
        }
    }

    private static Decision[] decisions(Action action, Category category, String list, int count) {
        Decision[] decisions = new Decision[count];
        for (int i = 0; i < count; i++) {
            decisions[i] = new Decision(action, category, list + "[" + i + "]");
        }
        return decisions;
    }

    /** Decisions of a section with plain allow and deny lists (processes, native, jndi, deserialization). */
    private static final class RuleDecisions<R extends Rule> {
        private final List<R> allow;
        private final List<R> deny;
        private final Decision[] allowed;
        private final Decision[] denied;
        private final Decision noMatch;

        RuleDecisions(Section<R> section, Category category, String name) {
            allow = section.allow();
            deny = section.deny();
            allowed = decisions(Action.ALLOWED, category, name + ".allow", allow.size());
            denied = decisions(section.denyMode().violationAction(), category, name + ".deny", deny.size());
            noMatch = new Decision(section.mode().violationAction(), category, name + ".allow (no match)");
        }

        /**
         * @param baselineOrNull the decision when no deny entry matches, before the allow list is consulted; null to
         *     go on to the allow list
         */
        Decision decide(Predicate<R> matches, Decision baselineOrNull) {
            for (int i = 0; i < deny.size(); i++) {
                if (matches.test(deny.get(i))) {
                    return denied[i];
                }
            }
            if (baselineOrNull != null) {
                return baselineOrNull;
            }
            for (int i = 0; i < allow.size(); i++) {
                if (matches.test(allow.get(i))) {
                    return allowed[i];
                }
            }
            return noMatch;
        }

        /** The first allow entry that matches, deny entries aside; otherwise the section's no-match decision. */
        Decision firstAllowed(Predicate<R> matches) {
            for (int i = 0; i < allow.size(); i++) {
                if (matches.test(allow.get(i))) {
                    return allowed[i];
                }
            }
            return noMatch;
        }
    }
}
