package io.warden.policy.internal;

import io.warden.policy.Category;
import java.util.Set;

/**
 * The JVM's diagnostic commands (what {@code jcmd} and {@code DiagnosticCommandMBean} run inside the JVM): those that
 * only read the VM's state, and what each of the others reaches. A command not listed here reaches files: a new one
 * is denied until it is reviewed.
 */
public final class DiagnosticCommands {

    /** Commands that print the VM's own state, or run its collector, and take no file, address or library. */
    private static final Set<String> READ_ONLY = Set.of(
            "help",
            "VM.version",
            "VM.uptime",
            "VM.flags",
            "VM.system_properties",
            "VM.command_line",
            "VM.info",
            "VM.dynlibs",
            "VM.events",
            "VM.metaspace",
            "VM.native_memory",
            "VM.classloader_stats",
            "VM.classloaders",
            "VM.classes",
            "VM.class_hierarchy",
            "VM.stringtable",
            "VM.symboltable",
            "VM.systemdictionary",
            "VM.print_touched_methods",
            "Thread.print",
            "Thread.vthread_scheduler",
            "Thread.vthread_pollers",
            "GC.class_histogram",
            "GC.heap_info",
            "GC.finalizer_info",
            "GC.run",
            "GC.run_finalization",
            "Compiler.codecache",
            "Compiler.codelist",
            "Compiler.queue",
            "Compiler.directives_print",
            "Compiler.CodeHeap_Analytics",
            "Compiler.memory",
            "System.map",
            "System.native_heap_info",
            "System.trim_native_heap",
            "JFR.check",
            "JFR.view",
            "ManagementAgent.status",
            "ManagementAgent.jmxremote.status");

    private DiagnosticCommands() {}

    /**
     * What a command reaches: null when it only reads the VM's state; {@code native} for loading an agent
     * ({@code JVMTI.*}); {@code network} for the management agent's ports; otherwise {@code files} (heap and thread
     * dumps, flight recordings, CDS archives, logs, and flags such as the heap dump path).
     */
    public static Category reach(String command) {
        if (READ_ONLY.contains(command)) {
            return null;
        }
        if (command.startsWith("JVMTI.")) {
            return Category.NATIVE;
        }
        if (command.startsWith("ManagementAgent.")) {
            return Category.NETWORK;
        }
        return Category.FILE;
    }
}
