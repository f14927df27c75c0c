package io.warden.agent.core;

import io.warden.agent.AgentEntry;
import io.warden.agent.StartupTask;
import io.warden.agent.core.enforce.Enforcer;
import io.warden.agent.core.gate.EnforcerTarget;
import io.warden.agent.core.hooks.AwsSdkTransformer;
import io.warden.agent.core.hooks.HandlerTransformer;
import io.warden.agent.core.hooks.Hook;
import io.warden.agent.core.hooks.HookSelfCheck;
import io.warden.agent.core.hooks.HookTransformer;
import io.warden.agent.core.invocation.HandlerName;
import io.warden.agent.core.invocation.Invocations;
import io.warden.agent.core.observe.Observer;
import io.warden.agent.core.policy.PolicyLoader;
import io.warden.agent.core.report.ViolationReporter;
import io.warden.agent.core.service.PolicyFetcher;
import io.warden.agent.core.service.ReportSender;
import io.warden.agent.core.service.ServiceConfig;
import io.warden.agent.core.service.ServiceHttp;
import io.warden.agent.core.snapstart.SnapStartHooks;
import io.warden.policy.Category;
import io.warden.policy.Environment;
import io.warden.policy.Mode;
import io.warden.policy.Policy;
import io.warden.policy.PolicyEvaluator;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/** Starts enforcement: loads the policy, installs the gate and the hooks, and says so in one status line. */
public final class Agent extends AgentEntry {

    private static boolean started;
    /** Held here because the runtime holds CRaC resources only weakly. */
    private static SnapStartHooks snapStartHooks;

    static {
        AgentEntry.register(new Agent());
    }

    private Agent() {}

    /** Called once by the launcher; later calls (from anyone) do nothing. */
    @Override
    public void start(
            Instrumentation instrumentation,
            String arguments,
            long startedNanos,
            File agentJar,
            String version,
            Callable<Void> gateDefinition)
            throws Exception {
        if (instrumentation == null || !firstStart()) {
            return;
        }
        Map<String, String> variables = System.getenv();
        StartupTask<HookTransformer> weaving = null;
        StartupTask<Void> gate = null;
        if (!PolicyLoader.switchedOff(variables)) {
            gate = new StartupTask<>(gateDefinition);
            weaving = startWeaving(instrumentation, gate);
        }
        HandlerName handler = HandlerName.parse(variables.get("_HANDLER"));
        Invocations invocations = new Invocations(variables.get("AWS_LAMBDA_FUNCTION_VERSION"), handler != null);
        ViolationReporter reporter = new ViolationReporter(
                new FileOutputStream(FileDescriptor.out), variables.get("AWS_LAMBDA_FUNCTION_NAME"), invocations);
        PolicyLoader.Loaded loaded = PolicyLoader.load(variables, agentJar.getParentFile());
        if (loaded.error != null) {
            reporter.policyError(loaded.source, loaded.error);
        }
        ServiceConfig service = serviceConfig(variables, reporter);
        if (service != null) {
            PolicyFetcher.Result fetched = PolicyFetcher.fetch(service, functionName(variables));
            if (fetched.policy != null) {
                loaded = PolicyLoader.fromService(fetched.policy, fetched.source, variables);
            } else {
                reporter.serviceError("policy from " + fetched.source + " not used, keeping " + loaded.source + ": "
                        + fetched.failure);
            }
        }
        Policy policy = loaded.policy;
        if (allOff(policy)) {
            if (weaving != null) {
                await(weaving).uninstall(instrumentation);
            }
            reporter.status("off", loaded.source, 0, startedNanos);
            return;
        }
        Environment environment = Environment.current().withClassPathEntry(agentJar.getPath());
        PolicyEvaluator evaluator = new PolicyEvaluator(policy, environment);
        Observer observer = policy.learns()
                ? new Observer(
                        variables.get("AWS_LAMBDA_FUNCTION_NAME"),
                        variables.get("AWS_REGION"),
                        policy.mode(),
                        System.getProperty("java.io.tmpdir"))
                : null;
        Enforcer enforcer = new Enforcer(
                policy,
                evaluator,
                environment,
                reporter,
                invocations,
                policy.mode(Category.DESERIALIZATION) != Mode.OFF,
                observer,
                variables.get("PATH"));
        HookTransformer hooks = await(weaving);
        gate.run(); // woven code defines it first; this is for a JVM that had none of the hooked classes loaded
        await(gate);
        EnforcerTarget target = EnforcerTarget.connect(enforcer);
        if (handler != null) {
            instrumentation.addTransformer(new HandlerTransformer(handler.className(), handler.methodName()));
        }
        if (observer != null) {
            instrumentation.addTransformer(new AwsSdkTransformer(reporter));
        }
        if (service != null) {
            startSending(service, variables, policy, reporter, enforcer, version);
        }
        if ("snap-start".equals(variables.get("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            snapStartHooks = SnapStartHooks.register(reporter, invocations);
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        new Runnable() {
                            @Override
                            public void run() {
                                enforcer.writePendingObservation();
                                reporter.exiting();
                            }
                        },
                        "warden-shutdown"));
        reporter.status("started", loaded.source, hooks.installedHooks().size(), startedNanos);
        startSelfCheck(hooks, reporter, target);
    }

    /**
     * Verifies the hooks of the classes woven so far, and from now on those of each hooked class as the JVM loads it; no
     * class is loaded for it. The classes of the other hooks are looked up in the JDK's runtime image (through the
     * gate: about 3 ms) on a thread of its own, which a JVM that exits at once still waits for, so that a hooked class
     * the JDK renamed or removed is always reported.
     */
    private static void startSelfCheck(HookTransformer hooks, ViolationReporter reporter, EnforcerTarget gate) {
        String jdk = System.getProperty("java.runtime.version"); // Runtime.version().toString() spins lambdas
        HookSelfCheck check = HookSelfCheck.start(hooks, Runtime.version().feature(), new HookSelfCheck.Report() {
            @Override
            public void hooksChecked(
                    int expected, int woven, int pending, List<String> missing, List<String> newlyMissing) {
                reporter.hooksChecked(jdk, expected, woven, pending, missing, newlyMissing);
            }
        });
        new Thread(
                        new Runnable() {
                            @Override
                            public void run() {
                                check.lookUpPendingClasses(gate);
                            }
                        },
                        "warden-self-check")
                .start();
    }

    /**
     * Weaves the hooks (and defines the gate) on a second thread while this one loads the policy and builds the enforcer:
     * start-up is mostly class loading, and the halves share few classes. Woven code reaches the JVM only once the gate
     * is defined; until the gate is connected every check passes, and nothing but the JDK's own threads runs before this
     * agent returns. A policy that turns everything off unweaves them again.
     */
    private static StartupTask<HookTransformer> startWeaving(Instrumentation instrumentation, StartupTask<Void> gate) {
        StartupTask<HookTransformer> weaving = new StartupTask<>(new Callable<HookTransformer>() {
            @Override
            public HookTransformer call() throws Exception {
                HookTransformer hooks = new HookTransformer(List.of(Hook.values()), gate);
                hooks.install(instrumentation);
                return hooks;
            }
        });
        Thread thread = new Thread(weaving, "warden-start");
        thread.setDaemon(true);
        thread.start();
        return weaving;
    }

    private static synchronized boolean firstStart() {
        if (started) {
            return false;
        }
        started = true;
        return true;
    }

    private static <T> T await(StartupTask<T> task) throws Exception {
        try {
            return task.get();
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            throw cause instanceof Exception ? (Exception) cause : failed;
        }
    }

    private static ServiceConfig serviceConfig(Map<String, String> variables, ViolationReporter reporter) {
        try {
            return ServiceConfig.from(variables);
        } catch (IllegalArgumentException malformed) {
            reporter.serviceError(malformed.getMessage());
            return null;
        }
    }

    /**
     * Events also go to the service, from a daemon thread of Warden's, checked like any other: only its connect to the
     * service's address is exempt. It inherits no thread-local values (copying them would run the function's
     * {@code InheritableThreadLocal.childValue}).
     */
    private static void startSending(
            ServiceConfig service,
            Map<String, String> variables,
            Policy policy,
            ViolationReporter reporter,
            Enforcer enforcer,
            String version) {
        ReportSender sender = new ReportSender(
                service,
                new ServiceHttp.Connector() {
                    @Override
                    public void connect(SocketChannel channel, InetSocketAddress endpoint, int timeoutMillis)
                            throws IOException {
                        enforcer.connectToService(channel, endpoint, timeoutMillis);
                    }
                },
                new ReportSender.Failures() {
                    @Override
                    public void failed(String why) {
                        reporter.serviceError(why);
                    }
                },
                functionName(variables),
                version == null ? "development" : version,
                policy.mode().jsonName());
        reporter.sendTo(sender);
        Thread thread = new Thread(
                null,
                new Runnable() {
                    @Override
                    public void run() {
                        sender.run();
                    }
                },
                "warden-service",
                0,
                false);
        thread.setDaemon(true);
        thread.start();
    }

    private static String functionName(Map<String, String> variables) {
        String name = variables.get("AWS_LAMBDA_FUNCTION_NAME");
        return name == null || name.isEmpty() ? ViolationReporter.UNKNOWN_FUNCTION : name;
    }

    private static boolean allOff(Policy policy) {
        for (Category category : Category.values()) {
            if (policy.mode(category) != Mode.OFF) {
                return false;
            }
        }
        return true;
    }
}
