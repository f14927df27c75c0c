package io.warden.agent.core;

import io.warden.agent.core.enforce.DeserializationFilter;
import io.warden.agent.core.enforce.Enforcer;
import io.warden.agent.core.enforce.NativeLibraries;
import io.warden.agent.core.gate.GateInstaller;
import io.warden.agent.core.hooks.Hook;
import io.warden.agent.core.hooks.HandlerTransformer;
import io.warden.agent.core.hooks.HookTransformer;
import io.warden.agent.core.invocation.HandlerName;
import io.warden.agent.core.invocation.Invocations;
import io.warden.agent.core.policy.PolicyLoader;
import io.warden.agent.core.report.ViolationReporter;
import io.warden.policy.Category;
import io.warden.policy.Environment;
import io.warden.policy.Mode;
import io.warden.policy.Policy;
import io.warden.policy.PolicyEvaluator;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** Starts enforcement: loads the policy, installs the gate and the hooks, and says so in one status line. */
public final class Agent {

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private Agent() {}

    /** Called once by the launcher in the class path; later calls (from anyone) do nothing. */
    public static void start(Instrumentation instrumentation, String arguments, long startedNanos) throws Exception {
        if (instrumentation == null || !STARTED.compareAndSet(false, true)) {
            return;
        }
        Map<String, String> variables = System.getenv();
        HandlerName handler = HandlerName.parse(variables.get("_HANDLER"));
        Invocations invocations = new Invocations(variables.get("AWS_LAMBDA_FUNCTION_VERSION"), handler != null);
        ViolationReporter reporter = new ViolationReporter(new FileOutputStream(FileDescriptor.out),
                variables.get("AWS_LAMBDA_FUNCTION_NAME"), invocations);
        Path agentJar = agentJar();
        PolicyLoader.Loaded loaded = PolicyLoader.load(variables, agentJar == null ? null : agentJar.getParent());
        if (loaded.error != null) {
            reporter.policyError(loaded.source, loaded.error);
        }
        Policy policy = loaded.policy;
        if (allOff(policy)) {
            reporter.status("off", loaded.source, 0, startedNanos);
            return;
        }
        Environment environment = agentJar == null ? Environment.current()
                : Environment.current().withClassPathEntry(agentJar.toString());
        PolicyEvaluator evaluator = new PolicyEvaluator(policy, environment);
        Enforcer enforcer = new Enforcer(evaluator, new PolicyEvaluator(Policy.baselineOnly(), environment), reporter,
                System.getProperty("user.dir"),
                new NativeLibraries(System.getProperty("java.library.path", ""), System.getProperty("sun.boot.library.path", "")),
                invocations,
                policy.mode(Category.DESERIALIZATION) == Mode.OFF ? null : new DeserializationFilter(evaluator, reporter));
        GateInstaller.install(instrumentation, enforcer);
        HookTransformer hooks = new HookTransformer(EnumSet.allOf(Hook.class));
        hooks.install(instrumentation);
        if (handler != null) {
            instrumentation.addTransformer(new HandlerTransformer(handler.className(), handler.methodName()));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
            @Override
            public void run() {
                reporter.flush();
            }
        }, "warden-shutdown"));
        reporter.status("started", loaded.source, hooks.installedHooks().size(), startedNanos);
    }

    private static boolean allOff(Policy policy) {
        for (Category category : Category.values()) {
            if (policy.mode(category) != Mode.OFF) {
                return false;
            }
        }
        return true;
    }

    private static Path agentJar() {
        try {
            return Path.of(Agent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception unknown) {
            return null;
        }
    }
}
