package io.warden.surface;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Everything the surface check needs from one JDK image, read in one pass over its class files: the native methods,
 * the places its Java code loads a native library, and the call graph that leads from public API to each native.
 */
public final class Inventory {

    /** Methods through which JDK code loads a JNI library (internal owner, name). */
    private static final Set<String> LIBRARY_LOADERS = Set.of(
            "java/lang/System.loadLibrary",
            "java/lang/System.load",
            "java/lang/Runtime.loadLibrary",
            "java/lang/Runtime.load",
            "jdk/internal/loader/BootLoader.loadLibrary",
            "jdk/internal/loader/NativeLibraries.loadLibrary",
            "jdk/internal/loader/RawNativeLibraries.load");

    private static final String NATIVE = "native ";
    private static final String LIBRARY = "library ";

    private final String version;
    private final List<NativeMethod> natives;
    private final List<LibraryLoad> libraryLoads;
    private final CallGraph callGraph;

    private Inventory(String version, List<NativeMethod> natives, List<LibraryLoad> libraryLoads, CallGraph callGraph) {
        this.version = version;
        this.natives = natives;
        this.libraryLoads = libraryLoads;
        this.callGraph = callGraph;
    }

    /** Reads every class of every module of the image. */
    public static Inventory of(JdkImage image) throws IOException {
        List<NativeMethod> natives = new ArrayList<>();
        List<LibraryLoad> loads = new ArrayList<>();
        CallGraph graph = new CallGraph();
        for (Map.Entry<String, ModuleDescriptor> module : image.modules().entrySet()) {
            Set<String> exported = exportedPackages(module.getValue());
            for (Path file : image.classFiles(module.getKey())) {
                new ClassReader(Files.readAllBytes(file))
                        .accept(
                                new Scanner(module.getKey(), exported, natives, loads, graph),
                                ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            }
        }
        Collections.sort(natives);
        Collections.sort(loads);
        return new Inventory(image.version(), List.copyOf(natives), List.copyOf(loads), graph);
    }

    public String version() {
        return version;
    }

    public List<NativeMethod> natives() {
        return natives;
    }

    public List<LibraryLoad> libraryLoads() {
        return libraryLoads;
    }

    public CallGraph callGraph() {
        return callGraph;
    }

    /**
     * The inventory as the checked-in files hold it ({@code inventory/jdkNN.txt}): one line per native
     * ({@code native <module> <owner#name(descriptor)>}) and per library load ({@code library <module> <caller> ->
     * <loader>(<name>)}), sorted, each once.
     */
    public List<String> lines() {
        TreeSet<String> lines = new TreeSet<>();
        for (NativeMethod method : natives) {
            lines.add(NATIVE + method.module() + " " + method.key());
        }
        for (LibraryLoad load : libraryLoads) {
            lines.add(LIBRARY + load.module() + " " + load.key());
        }
        return List.copyOf(lines);
    }

    /** The inventory checked in for a JDK feature release, without its comment lines, or null if there is none. */
    public static List<String> checkedIn(int feature) throws IOException {
        try (InputStream in = Inventory.class.getResourceAsStream("inventory/jdk" + feature + ".txt")) {
            if (in == null) {
                return null;
            }
            List<String> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line.strip());
                }
            }
            return lines;
        }
    }

    /** The natives named by inventory lines. */
    public static List<NativeMethod> natives(List<String> lines) {
        List<NativeMethod> natives = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(NATIVE)) {
                String[] parts = line.substring(NATIVE.length()).split(" ", 2);
                natives.add(NativeMethod.parse(parts[0], parts[1]));
            }
        }
        return natives;
    }

    /** Packages the module exports to everyone, internal names. */
    private static Set<String> exportedPackages(ModuleDescriptor module) {
        Set<String> exported = new HashSet<>();
        for (ModuleDescriptor.Exports exports : module.exports()) {
            if (!exports.isQualified()) {
                exported.add(exports.source().replace('.', '/'));
            }
        }
        return exported;
    }

    private static final class Scanner extends ClassVisitor {
        private final String module;
        private final Set<String> exported;
        private final List<NativeMethod> natives;
        private final List<LibraryLoad> loads;
        private final CallGraph graph;
        private String owner;
        private boolean apiClass;

        Scanner(
                String module,
                Set<String> exported,
                List<NativeMethod> natives,
                List<LibraryLoad> loads,
                CallGraph graph) {
            super(Opcodes.ASM9);
            this.module = module;
            this.exported = exported;
            this.natives = natives;
            this.loads = loads;
            this.graph = graph;
        }

        @Override
        public void visit(
                int version, int access, String name, String signature, String superName, String[] interfaces) {
            owner = name;
            int slash = name.lastIndexOf('/');
            apiClass =
                    (access & Opcodes.ACC_PUBLIC) != 0 && exported.contains(slash < 0 ? "" : name.substring(0, slash));
            graph.addClass(name, superName, interfaces);
        }

        @Override
        public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] exceptions) {
            boolean api = apiClass && (access & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED)) != 0;
            int caller = graph.declare(owner, name, descriptor, access, api, module);
            if ((access & Opcodes.ACC_NATIVE) != 0) {
                natives.add(new NativeMethod(module, owner.replace('/', '.'), name, descriptor));
                return null;
            }
            String callerKey = owner.replace('/', '.') + "#" + name + descriptor;
            return new MethodVisitor(Opcodes.ASM9) {
                private String lastConstant;

                @Override
                public void visitLdcInsn(Object value) {
                    if (value instanceof Handle) {
                        handle(caller, (Handle) value);
                    }
                    lastConstant = value instanceof String ? (String) value : null;
                }

                @Override
                public void visitMethodInsn(
                        int opcode,
                        String calledOwner,
                        String calledName,
                        String calledDescriptor,
                        boolean isInterface) {
                    graph.call(caller, calledOwner, calledName, calledDescriptor);
                    String called = calledOwner + "." + calledName;
                    if (LIBRARY_LOADERS.contains(called)) {
                        loads.add(new LibraryLoad(module, callerKey, called.replace('/', '.'), lastConstant));
                    }
                    lastConstant = null;
                }

                @Override
                public void visitInvokeDynamicInsn(
                        String name, String descriptor, Handle bootstrap, Object... arguments) {
                    // Lambdas and method references: the enclosing method reaches the method the handle names.
                    for (Object argument : arguments) {
                        if (argument instanceof Handle) {
                            handle(caller, (Handle) argument);
                        }
                    }
                    lastConstant = null;
                }

                @Override
                public void visitInsn(int opcode) {
                    lastConstant = null;
                }

                @Override
                public void visitVarInsn(int opcode, int varIndex) {
                    lastConstant = null;
                }

                @Override
                public void visitFieldInsn(int opcode, String fieldOwner, String fieldName, String fieldDescriptor) {
                    lastConstant = null;
                }

                private void handle(int from, Handle target) {
                    if (target.getTag() >= Opcodes.H_INVOKEVIRTUAL) {
                        graph.call(from, target.getOwner(), target.getName(), target.getDesc());
                    }
                }
            };
        }
    }
}
