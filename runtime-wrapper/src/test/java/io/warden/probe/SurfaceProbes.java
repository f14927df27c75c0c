package io.warden.probe;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The native entry points that the JDK surface classification found reachable below the hooks, tried as code in the
 * function would: reachability probes, reverse DNS lookups, and VM options that make the VM write the heap to a file.
 * Each returns what it got; the test says what that must be in block and in alert mode.
 */
final class SurfaceProbes {

    private static final int TIMEOUT_MILLIS = 3000;
    private static final String HOTSPOT_DIAGNOSTIC = "com.sun.management:type=HotSpotDiagnostic";

    private SurfaceProbes() {}

    static String run(String operation) throws Exception {
        Path allowedDir = Path.of(System.getProperty("probe.allowedDir", "/nonexistent"));
        Path deniedDir = Path.of(System.getProperty("probe.deniedDir", "/nonexistent"));
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        switch (operation) {
            // ICMP echo, or a TCP connect to port 7: loopback answers either way (a refused connect counts as
            // reachable).
            case "surface-reachable-denied":
                return "reachable "
                        + InetAddress.getByAddress(new byte[] {127, 0, 0, 1}).isReachable(TIMEOUT_MILLIS);
            case "surface-reachable-allowed":
                return "reachable "
                        + InetAddress.getByAddress(new byte[] {127, 0, 0, 2}).isReachable(TIMEOUT_MILLIS);
            // A PTR query for 127.0.0.1, which the hosts file answers: without Warden the name is "localhost".
            case "surface-reverse-dns":
                return "name "
                        + InetAddress.getByAddress(new byte[] {127, 0, 0, 1}).getHostName();
            case "surface-canonical-name":
                return "name "
                        + InetAddress.getByAddress(new byte[] {127, 0, 0, 1}).getCanonicalHostName();
            case "surface-heap-dump-path-denied":
                vm.setVMOption("HeapDumpPath", deniedDir.resolve("heap.hprof").toString());
                return "HeapDumpPath " + vm.getVMOption("HeapDumpPath").getValue();
            // The same through the platform MBean server, as a JMX client would.
            case "surface-heap-dump-path-jmx-denied": {
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                server.invoke(
                        new ObjectName(HOTSPOT_DIAGNOSTIC),
                        "setVMOption",
                        new Object[] {
                            "HeapDumpPath", deniedDir.resolve("jmx.hprof").toString()
                        },
                        new String[] {String.class.getName(), String.class.getName()});
                return "HeapDumpPath " + vm.getVMOption("HeapDumpPath").getValue();
            }
            // The JVM was started with its HeapDumpPath in the denied directory: switching a dump on writes there.
            case "surface-heap-dump-on-oom-denied":
                vm.setVMOption("HeapDumpOnOutOfMemoryError", "true");
                return "HeapDumpOnOutOfMemoryError "
                        + vm.getVMOption("HeapDumpOnOutOfMemoryError").getValue();
            case "surface-heap-dump-path-allowed":
                vm.setVMOption("HeapDumpPath", allowedDir.resolve("heap.hprof").toString());
                return "HeapDumpPath " + vm.getVMOption("HeapDumpPath").getValue();
            case "surface-vm-option-benign":
                vm.setVMOption("PrintConcurrentLocks", "true");
                return "PrintConcurrentLocks "
                        + vm.getVMOption("PrintConcurrentLocks").getValue();
            case "surface-jmx-query": {
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                return "platform MBeans "
                        + !server.queryNames(new ObjectName("java.lang:*"), null)
                                .isEmpty() + ", heap used "
                        + (ManagementFactory.getMemoryMXBean()
                                        .getHeapMemoryUsage()
                                        .getUsed()
                                > 0);
            }
            default:
                throw new IllegalArgumentException("unknown operation " + operation);
        }
    }
}
