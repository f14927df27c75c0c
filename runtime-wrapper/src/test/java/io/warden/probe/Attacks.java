package io.warden.probe;

import java.io.File;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What code running inside the function tries against Warden itself: reach its objects, its class loader or the
 * opened {@code java.lang}, and the JVM's own ways around it. Each attack returns what it got; the test says what it must
 * be in block and in alert mode, and checks that enforcement still holds after it.
 */
final class Attacks {

    private Attacks() {}

    /** A connect through a socket channel, which calls none of the handlers a function can replace. */
    private static String channelConnect(int port) {
        try (java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open()) {
            channel.connect(
                    new java.net.InetSocketAddress(java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port));
            return "connected";
        } catch (java.io.IOException refused) {
            return refused.getMessage();
        }
    }

    static String run(String attack) throws Exception {
        switch (attack) {
            // Under SnapStart: Warden's CRaC resource, taken from the runtime's context, and the object behind the
            // proxy.
            case "attack-snapstart-resource":
                return SnapStartResource.attack();
            // The JVM-wide handlers a function can replace, each doing a denied connect when called; then violations
            // for Warden to send to its service, which must call none of them.
            case "attack-service-handlers": {
                ReplacedHandlers.install();
                StringBuilder outcomes = new StringBuilder();
                for (int i = 0; i < 3; i++) {
                    outcomes.append(channelConnect(Integer.getInteger("probe.deniedPort")))
                            .append("; ");
                }
                return outcomes.toString();
            }
            // A SelectorProvider of the function's, named at run time: Warden took the JVM's at start-up, so the
            // function's class never runs on Warden's thread, and the JVM keeps the JDK's for the function too.
            case "attack-service-selector-provider": {
                System.setProperty("java.nio.channels.spi.SelectorProvider", ForeignSelectorProvider.class.getName());
                return "provider "
                        + java.nio.channels.spi.SelectorProvider.provider()
                                .getClass()
                                .getName() + "; " + channelConnect(Integer.getInteger("probe.deniedPort"));
            }
            // The service's own address, from the function's main thread and from a thread of its own: no exemption.
            case "attack-service-address": {
                int port = Integer.getInteger("probe.servicePort");
                String[] fromThread = new String[1];
                Thread thread = new Thread(() -> fromThread[0] = channelConnect(port), "function-thread");
                thread.start();
                thread.join();
                return "main: " + channelConnect(port) + "; thread: " + fromThread[0];
            }
            // The launcher's class on the class path that handed the agent object over: reflection reaches its fields.
            case "attack-agent-entry": {
                Field registered = Class.forName("io.warden.agent.AgentEntry").getDeclaredField("registered");
                registered.setAccessible(true);
                return "registered " + registered.get(null);
            }
            // Code of the function that Warden might call during a check (here: the caller's own List) walks the stack,
            // takes Warden's classes, and tries to use their module's access. Warden judges the JDK's own copy of the
            // command, so it never calls the List and the spy sees none of its classes.
            case "attack-agent-module": {
                StackSpy command = new StackSpy(List.of("sh", "-c", "exit 7"));
                String outcome;
                try {
                    outcome = "exit " + new ProcessBuilder(command).start().waitFor();
                } catch (java.io.IOException blocked) {
                    outcome = blocked.getMessage();
                }
                return outcome + "; " + command.verdict();
            }
            // JDK 17: the legacy socket implementations, selected by a system property set before the first socket.
            case "attack-legacy-socket": {
                System.setProperty("jdk.net.usePlainSocketImpl", "true");
                try (java.net.Socket socket = new java.net.Socket()) {
                    socket.connect(
                            new java.net.InetSocketAddress(
                                    java.net.InetAddress.getLoopbackAddress(), Integer.getInteger("probe.deniedPort")),
                            10_000);
                    return "connected " + socket.isConnected();
                } catch (java.io.IOException blocked) {
                    return viaLegacy(blocked, "java.net.AbstractPlainSocketImpl");
                }
            }
            case "attack-legacy-datagram": {
                System.setProperty("jdk.net.usePlainDatagramSocketImpl", "true");
                try (java.net.DatagramSocket socket = new java.net.DatagramSocket()) {
                    socket.send(new java.net.DatagramPacket(
                            new byte[] {1},
                            1,
                            java.net.InetAddress.getLoopbackAddress(),
                            Integer.getInteger("probe.deniedPort")));
                    return "sent";
                } catch (java.io.IOException blocked) {
                    return viaLegacy(blocked, "java.net.AbstractPlainDatagramSocketImpl");
                }
            }
            // The JVM's own ways to load an agent or write files, through its management interfaces.
            case "attack-diagnostic-agent-load":
                return diagnosticCommand("jvmtiAgentLoad", System.getProperty("probe.deniedDir") + "/agent.so");
            case "attack-diagnostic-set-flag":
                return diagnosticCommand(
                        "vmSetFlag", "HeapDumpPath", System.getProperty("probe.deniedDir") + "/oom.hprof");
            case "attack-heap-dump": {
                String file = System.getProperty("probe.deniedDir") + "/heap.hprof";
                try {
                    java.lang.management.ManagementFactory.getPlatformMXBean(
                                    com.sun.management.HotSpotDiagnosticMXBean.class)
                            .dumpHeap(file, true);
                    return "dumped " + java.nio.file.Files.exists(Path.of(file));
                } catch (java.io.IOException blocked) {
                    return blocked.getMessage();
                }
            }
            case "attack-diagnostic-read-only":
                return diagnosticCommand("vmVersion");
            // JDK 22 and later: the foreign function API calls native code, or opens a library, below every other hook.
            // Compiled for JDK 17, so reached by reflection.
            case "attack-foreign-downcall": {
                try {
                    return "called getpid "
                            + (foreignGetpid() == ProcessHandle.current().pid());
                } catch (java.lang.reflect.InvocationTargetException refused) {
                    return refused.getCause().getMessage();
                }
            }
            case "attack-foreign-library": {
                Class<?> arena = Class.forName("java.lang.foreign.Arena");
                try {
                    Class.forName("java.lang.foreign.SymbolLookup")
                            .getMethod("libraryLookup", String.class, arena)
                            .invoke(
                                    null,
                                    System.getProperty("probe.deniedDir") + "/lib.so",
                                    arena.getMethod("global").invoke(null));
                    return "opened";
                } catch (java.lang.reflect.InvocationTargetException refused) {
                    return (refused.getCause() instanceof IllegalArgumentException ? "not opened: " : "")
                            + refused.getCause().getMessage();
                }
            }
            // The function's own SecureRandom provider, first in line: Warden's event ids must not come from it.
            case "attack-secure-random-provider": {
                java.security.Security.insertProviderAt(new EvilRandomProvider(), 1);
                String outcome;
                try (java.net.Socket socket = new java.net.Socket()) {
                    socket.connect(
                            new java.net.InetSocketAddress(
                                    java.net.InetAddress.getLoopbackAddress(), Integer.getInteger("probe.deniedPort")),
                            10_000);
                    outcome = "connected";
                } catch (java.io.IOException blocked) {
                    outcome = blocked.getMessage();
                }
                return outcome + "; provider's connects " + EvilRandomProvider.CONNECTS;
            }
            // Objects of the caller's that throw only when Warden reads them (the JDK itself reads them fine): a check
            // that fails must not let the operation through. (The command is judged on the JDK's own copy, which
            // cannot throw; the List must not get the command through either.)
            case "attack-throwing-command": {
                List<String> command = new ArrayList<>(List.of("sh", "-c", "exit 7")) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public Iterator<String> iterator() {
                        throwWhenWardenReads();
                        return super.iterator();
                    }
                };
                try {
                    return "exit " + new ProcessBuilder(command).start().waitFor();
                } catch (java.io.IOException blocked) {
                    return blocked.getMessage();
                }
            }
            case "attack-throwing-file": {
                Path victim = Path.of(System.getProperty("probe.deniedDir"), "victim.txt");
                File file = new File(victim.toString()) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public String getPath() {
                        throwWhenWardenReads();
                        return super.getPath();
                    }
                };
                // Whether it is still there is for the test to see: a denied file's metadata reads as absent here.
                return "deleted " + file.delete();
            }
            default:
                throw new IllegalArgumentException("unknown attack " + attack);
        }
    }

    /** libc's getpid, called through a foreign function downcall: Linker.nativeLinker().downcallHandle(...). */
    private static long foreignGetpid() throws Exception {
        Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
        Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
        Object linker = linkerType.getMethod("nativeLinker").invoke(null);
        Object lookup = linkerType.getMethod("defaultLookup").invoke(linker);
        Object symbol = ((java.util.Optional<?>) Class.forName("java.lang.foreign.SymbolLookup")
                        .getMethod("find", String.class)
                        .invoke(lookup, "getpid"))
                .orElseThrow();
        Object descriptor = descriptorType
                .getMethod("of", layoutType, layoutType.arrayType())
                .invoke(
                        null,
                        Class.forName("java.lang.foreign.ValueLayout")
                                .getField("JAVA_INT")
                                .get(null),
                        java.lang.reflect.Array.newInstance(layoutType, 0));
        java.lang.invoke.MethodHandle getpid = (java.lang.invoke.MethodHandle) linkerType
                .getMethod(
                        "downcallHandle",
                        Class.forName("java.lang.foreign.MemorySegment"),
                        descriptorType,
                        optionType.arrayType())
                .invoke(linker, symbol, descriptor, java.lang.reflect.Array.newInstance(optionType, 0));
        try {
            return (int) getpid.invoke();
        } catch (Throwable failed) {
            throw new IllegalStateException(failed);
        }
    }

    /** Runs a diagnostic command through the platform MBean server; its output's first line, or why it failed. */
    private static String diagnosticCommand(String operation, String... arguments) throws Exception {
        javax.management.ObjectName name = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
        Object[] parameters = arguments.length == 0 ? new Object[0] : new Object[] {arguments};
        String[] signature = arguments.length == 0 ? new String[0] : new String[] {String[].class.getName()};
        try {
            Object output = java.lang.management.ManagementFactory.getPlatformMBeanServer()
                    .invoke(name, operation, parameters, signature);
            return "ran " + String.valueOf(output).strip().lines().findFirst().orElse("");
        } catch (javax.management.JMException | RuntimeException refused) {
            Throwable cause = refused;
            while (cause.getCause() != null
                    && !String.valueOf(cause.getMessage()).startsWith("Blocked by Warden")) {
                cause = cause.getCause();
            }
            return cause.getMessage();
        }
    }

    /** The failure's message, and whether it came from the legacy implementation. */
    private static String viaLegacy(Exception failure, String legacyClass) {
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().equals(legacyClass)) {
                return failure.getMessage() + " (in " + legacyClass + ")";
            }
        }
        return failure.getMessage();
    }

    /** Throws when called from inside Warden's check, where the gate is on the stack. */
    private static void throwWhenWardenReads() {
        if (StackWalker.getInstance()
                .walk(frames -> frames.anyMatch(frame -> frame.getClassName().equals("java.lang.WardenGate")))) {
            throw new IllegalStateException("unreadable while Warden reads it");
        }
    }

    /** A command list that records every class of Warden's on the stack whenever it is read. */
    private static final class StackSpy extends ArrayList<String> {
        private static final long serialVersionUID = 1L;
        private final transient Set<Class<?>> seen = new LinkedHashSet<>();

        StackSpy(List<String> command) {
            super(command);
        }

        @Override
        public Iterator<String> iterator() {
            StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).forEach(frame -> {
                Class<?> type = frame.getDeclaringClass();
                if (type.getName().startsWith("io.warden.agent.")) {
                    seen.add(type);
                }
            });
            return super.iterator();
        }

        /** Whether any class seen lends a way into java.lang: open to its module, or a lookup from it. */
        String verdict() {
            List<String> ways = new ArrayList<>();
            for (Class<?> type : seen) {
                if (Object.class.getModule().isOpen("java.lang", type.getModule())) {
                    ways.add("java.lang open to " + type.getName());
                }
                try {
                    MethodHandles.privateLookupIn(
                            Object.class, MethodHandles.privateLookupIn(type, MethodHandles.lookup()));
                    ways.add("java.lang lookup through " + type.getName());
                } catch (IllegalAccessException refused) {
                    // As it must be.
                }
            }
            return "warden classes seen " + seen.size() + "; "
                    + (ways.isEmpty() ? "no way into java.lang" : String.join(", ", ways));
        }
    }
}
