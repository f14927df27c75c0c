package io.warden.surface;

import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParameterizedTypeTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeParameterTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The natives of a JDK read from its Java sources, for a JDK whose run-time image is not at hand (JDK 21 where the
 * tests run). The sources are laid out as a JDK's {@code lib/src.zip} holds them, {@code <module>/<package>/<Class>.java},
 * in a directory or in that zip. Each file that declares a native is parsed with javac's tree API (parsing only, no
 * compilation, so the sources need nothing else) and each native's descriptor is built by resolving its types the way
 * javac does for the forms such declarations use: type variables to their erasure, member types of the enclosing
 * classes, single-type imports, the package, on-demand imports, {@code java.lang}. A type that resolves to nothing is
 * an error, never a guess. {@code SourceInventoryTest} holds the result against a JDK's image inventory.
 */
public final class SourceInventory {

    private static final Pattern NATIVE_WORD = Pattern.compile("\\bnative\\b");

    private final Path root;
    /** Every top-level type of the sources, by its qualified name, with its file. */
    private final Map<String, Path> topLevel = new HashMap<>();
    /** The names of the member types of top-level types, read when an on-demand import names such a type. */
    private final Map<String, Set<String>> memberTypes = new HashMap<>();
    /** Names being resolved through supertypes, so that a supertype naming the type itself ends the search. */
    private final Set<String> resolving = new HashSet<>();

    private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();

    private final List<String> unresolved = new ArrayList<>();

    private SourceInventory(Path root) {
        this.root = root;
    }

    /** The natives of the sources under {@code sources}: a directory, or a {@code src.zip}. */
    public static List<NativeMethod> natives(Path sources) throws IOException {
        if (Files.isDirectory(sources)) {
            return new SourceInventory(sources).read();
        }
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + sources.toUri()), Map.of())) {
            return new SourceInventory(zip.getPath("/")).read();
        }
    }

    private List<NativeMethod> read() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(file -> file.toString().endsWith(".java"))
                    .sorted()
                    .toList();
        }
        List<Path> withNatives = new ArrayList<>();
        for (Path file : files) {
            String relative = root.relativize(file).toString();
            int slash = relative.indexOf('/');
            if (slash < 0) {
                continue;
            }
            String name = relative.substring(slash + 1, relative.length() - ".java".length());
            topLevel.put(name.replace('/', '.'), file);
            if (NATIVE_WORD
                    .matcher(Files.readString(file, StandardCharsets.UTF_8))
                    .find()) {
                withNatives.add(file);
            }
        }
        TreeSet<NativeMethod> natives = new TreeSet<>();
        for (Path file : withNatives) {
            String relative = root.relativize(file).toString();
            String module = relative.substring(0, relative.indexOf('/'));
            CompilationUnitTree unit = parse(file);
            for (Tree type : unit.getTypeDecls()) {
                if (type instanceof ClassTree declared) {
                    collect(module, unit, packageOf(unit), new ArrayDeque<>(List.of(declared)), natives);
                }
            }
        }
        if (!unresolved.isEmpty()) {
            throw new IllegalStateException("types that resolve to nothing: " + String.join(", ", unresolved));
        }
        return List.copyOf(natives);
    }

    /** One file's tree; a syntax error is an error (the parser must know the sources' language level). */
    private CompilationUnitTree parse(Path file) throws IOException {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavacTask task = (JavacTask) javac.getTask(
                null,
                null,
                diagnostics,
                List.of("-proc:none"),
                null,
                List.of(new Source(file, root.relativize(file).toString())));
        Iterator<? extends CompilationUnitTree> units = task.parse().iterator();
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
            if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
                throw new IllegalStateException("cannot parse " + file + " (run on a JDK at least as new as the"
                        + " sources): " + diagnostic.getMessage(Locale.ROOT));
            }
        }
        return units.next();
    }

    private void collect(
            String module,
            CompilationUnitTree unit,
            String packageName,
            Deque<ClassTree> enclosing,
            Set<NativeMethod> natives) {
        ClassTree type = enclosing.peekLast();
        String owner = binaryName(packageName, enclosing);
        for (Tree member : type.getMembers()) {
            if (member instanceof ClassTree nested) {
                enclosing.addLast(nested);
                collect(module, unit, packageName, enclosing, natives);
                enclosing.removeLast();
            } else if (member instanceof MethodTree method
                    && method.getModifiers().getFlags().contains(Modifier.NATIVE)) {
                Context context = new Context(unit, packageName, enclosing, method);
                StringBuilder descriptor = new StringBuilder("(");
                for (VariableTree parameter : method.getParameters()) {
                    descriptor.append(descriptor(parameter.getType(), context));
                }
                descriptor.append(')').append(descriptor(method.getReturnType(), context));
                natives.add(new NativeMethod(module, owner, method.getName().toString(), descriptor.toString()));
            }
        }
    }

    private record Context(
            CompilationUnitTree unit, String packageName, Deque<ClassTree> enclosing, MethodTree method) {}

    private String descriptor(Tree type, Context context) {
        return switch (type.getKind()) {
            case PRIMITIVE_TYPE ->
                switch (((PrimitiveTypeTree) type).getPrimitiveTypeKind()) {
                    case BOOLEAN -> "Z";
                    case BYTE -> "B";
                    case CHAR -> "C";
                    case SHORT -> "S";
                    case INT -> "I";
                    case LONG -> "J";
                    case FLOAT -> "F";
                    case DOUBLE -> "D";
                    case VOID -> "V";
                    default -> throw new IllegalStateException("primitive " + type);
                };
            case ARRAY_TYPE -> "[" + descriptor(((ArrayTypeTree) type).getType(), context);
            case PARAMETERIZED_TYPE -> descriptor(((ParameterizedTypeTree) type).getType(), context);
            case IDENTIFIER, MEMBER_SELECT -> {
                String binary = resolve(type.toString(), context);
                if (binary == null) {
                    unresolved.add(
                            type + " in " + context.unit().getSourceFile().getName());
                    yield "L?;";
                }
                yield binary.startsWith("[") || binary.length() == 1 ? binary : "L" + binary.replace('.', '/') + ";";
            }
            default -> throw new IllegalStateException("unexpected type form " + type.getKind() + ": " + type);
        };
    }

    /** The binary name of a type written as {@code name} (simple or dotted), or a descriptor for a type variable. */
    private String resolve(String name, Context context) {
        int dot = name.indexOf('.');
        String first = dot < 0 ? name : name.substring(0, dot);
        String rest = dot < 0 ? "" : name.substring(dot + 1).replace('.', '$');
        String erasure = typeVariable(first, context);
        if (erasure != null && rest.isEmpty()) {
            return erasure;
        }
        String head = simpleName(first, context);
        if (head != null) {
            return rest.isEmpty() ? head : head + "$" + rest;
        }
        return qualified(name);
    }

    /** The erasure of a type variable of the method or of an enclosing class, as a descriptor or binary name. */
    private String typeVariable(String name, Context context) {
        List<List<? extends TypeParameterTree>> scopes = new ArrayList<>();
        scopes.add(context.method().getTypeParameters());
        context.enclosing().descendingIterator().forEachRemaining(type -> scopes.add(type.getTypeParameters()));
        for (List<? extends TypeParameterTree> scope : scopes) {
            for (TypeParameterTree parameter : scope) {
                if (parameter.getName().contentEquals(name)) {
                    return parameter.getBounds().isEmpty()
                            ? "java.lang.Object"
                            : resolve(parameter.getBounds().get(0).toString(), context);
                }
            }
        }
        return null;
    }

    private String simpleName(String name, Context context) {
        // Member types of the enclosing classes, innermost first, then the unit's own top-level types.
        List<ClassTree> chain = new ArrayList<>(context.enclosing());
        for (int depth = chain.size(); depth >= 1; depth--) {
            ClassTree outer = chain.get(depth - 1);
            for (Tree member : outer.getMembers()) {
                if (member instanceof ClassTree nested && nested.getSimpleName().contentEquals(name)) {
                    List<ClassTree> path = new ArrayList<>(chain.subList(0, depth));
                    path.add(nested);
                    return binaryName(context.packageName(), path);
                }
            }
            if (depth == 1 && outer.getSimpleName().contentEquals(name)) {
                return binaryName(context.packageName(), List.of(outer));
            }
        }
        for (Tree type : context.unit().getTypeDecls()) {
            if (type instanceof ClassTree declared && declared.getSimpleName().contentEquals(name)) {
                return binaryName(context.packageName(), List.of(declared));
            }
        }
        for (ImportTree imported : context.unit().getImports()) {
            String target = imported.getQualifiedIdentifier().toString();
            if (!imported.isStatic() && target.endsWith("." + name)) {
                return qualified(target);
            }
        }
        String samePackage = context.packageName().isEmpty() ? name : context.packageName() + "." + name;
        if (topLevel.containsKey(samePackage)) {
            return samePackage;
        }
        for (ImportTree imported : context.unit().getImports()) {
            String target = imported.getQualifiedIdentifier().toString();
            if (!imported.isStatic() && target.endsWith(".*")) {
                String container = target.substring(0, target.length() - 2);
                if (topLevel.containsKey(container + "." + name)) {
                    return container + "." + name;
                }
                String type = qualified(container);
                if (type != null && memberTypesOf(type).contains(name)) {
                    return type + "$" + name;
                }
            }
        }
        if (topLevel.containsKey("java.lang." + name)) {
            return "java.lang." + name;
        }
        return inheritedMemberType(name, context);
    }

    /** A qualified name's binary name: its longest prefix that is a top-level type, the rest as member types. */
    private String qualified(String name) {
        String prefix = name;
        while (true) {
            if (topLevel.containsKey(prefix)) {
                String rest = name.substring(prefix.length());
                return prefix + rest.replace('.', '$');
            }
            int dot = prefix.lastIndexOf('.');
            if (dot < 0) {
                return null;
            }
            prefix = prefix.substring(0, dot);
        }
    }

    /** The simple names of the member types a type (by binary name) declares itself. */
    private Set<String> memberTypesOf(String binary) {
        Set<String> names = memberTypes.get(binary);
        if (names != null) {
            return names;
        }
        String[] path = binary.split("\\$");
        Path file = topLevel.get(path[0]);
        names = new HashSet<>();
        if (file != null) {
            try {
                List<? extends Tree> level = parse(file).getTypeDecls();
                ClassTree found = null;
                for (int depth = 0; depth < path.length; depth++) {
                    String simple = depth == 0 ? path[0].substring(path[0].lastIndexOf('.') + 1) : path[depth];
                    found = null;
                    for (Tree member : level) {
                        if (member instanceof ClassTree declared
                                && declared.getSimpleName().contentEquals(simple)) {
                            found = declared;
                        }
                    }
                    if (found == null) {
                        break;
                    }
                    level = found.getMembers();
                }
                if (found != null) {
                    for (Tree member : found.getMembers()) {
                        if (member instanceof ClassTree nested) {
                            names.add(nested.getSimpleName().toString());
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        memberTypes.put(binary, names);
        return names;
    }

    /** A member type inherited from a supertype of an enclosing class (declared in the supertype's own file). */
    private String inheritedMemberType(String name, Context context) {
        if (!resolving.add(name)) {
            return null;
        }
        try {
            return inheritedMemberTypeOf(name, context);
        } finally {
            resolving.remove(name);
        }
    }

    private String inheritedMemberTypeOf(String name, Context context) {
        for (ClassTree type : (Iterable<ClassTree>) context.enclosing()::descendingIterator) {
            List<Tree> supertypes = new ArrayList<>(type.getImplementsClause());
            if (type.getExtendsClause() != null) {
                supertypes.add(type.getExtendsClause());
            }
            for (Tree supertype : supertypes) {
                Tree raw =
                        supertype instanceof ParameterizedTypeTree parameterized ? parameterized.getType() : supertype;
                String binary = resolve(raw.toString(), context);
                if (binary != null && memberTypesOf(binary).contains(name)) {
                    return binary + "$" + name;
                }
            }
        }
        return null;
    }

    private static String binaryName(String packageName, Iterable<ClassTree> path) {
        StringBuilder name = new StringBuilder(packageName.isEmpty() ? "" : packageName + ".");
        boolean first = true;
        for (ClassTree type : path) {
            name.append(first ? "" : "$").append(type.getSimpleName());
            first = false;
        }
        return name.toString();
    }

    private static String packageOf(CompilationUnitTree unit) {
        return unit.getPackageName() == null ? "" : unit.getPackageName().toString();
    }

    /** A source file javac reads from the tree (a zip's entries are no files javac could open). */
    private static final class Source extends SimpleJavaFileObject {
        private final Path file;

        Source(Path file, String relative) {
            super(URI.create("string:///" + relative), JavaFileObject.Kind.SOURCE);
            this.file = file;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
