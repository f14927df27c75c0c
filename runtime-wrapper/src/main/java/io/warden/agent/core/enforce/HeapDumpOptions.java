package io.warden.agent.core.enforce;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.warden.policy.PathNormalizer;
import java.lang.management.ManagementFactory;

/**
 * The VM options a running function can change (the manageable ones) that make the VM write a file: the heap dump
 * options. The VM writes the heap to {@code HeapDumpPath}, or into it when it is a directory, and to the working
 * directory when it is empty.
 */
final class HeapDumpOptions {

    private static final String PATH = "HeapDumpPath";

    private HeapDumpOptions() {}

    /** The file (or directory) the VM will write a heap dump to once the option is set so, or null for none. */
    static String fileWritten(String option, String value, String workingDirectory) {
        if (value == null) {
            return null; // the JDK refuses it
        }
        if (PATH.equals(option)) {
            return location(value, workingDirectory);
        }
        boolean dumpTrigger = "HeapDumpOnOutOfMemoryError".equals(option)
                || "HeapDumpBeforeFullGC".equals(option)
                || "HeapDumpAfterFullGC".equals(option);
        if (dumpTrigger && "true".equalsIgnoreCase(value)) {
            // The VM's own option object: read only when a dump trigger is switched on, which no ordinary function
            // does.
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return location(vm.getVMOption(PATH).getValue(), workingDirectory);
        }
        return null;
    }

    private static String location(String path, String workingDirectory) {
        return path == null || path.isEmpty() ? workingDirectory : PathNormalizer.normalize(path, workingDirectory);
    }
}
