package io.warden.policy.internal;

import io.warden.policy.PathNormalizer;
import java.util.List;

/**
 * A {@code processes} entry: with a "/" it is a {@link Glob} on the program as an absolute path ({@code /usr/bin/*}),
 * located as the JDK runs it (a bare name through {@code PATH}, a relative path against the child's directory); without
 * one it matches the program name exactly as given to ProcessBuilder ({@code git}).
 *
 * <p>Written as an object, {@code {"program": "ldd", "args": ["--version"]}}, it also fixes the arguments: one pattern
 * per argument, the count included, and it matches only a process that inherits the JVM's own environment (with a
 * changed one, {@code BASH_ENV} or {@code LD_PRELOAD} would make any program run anything). An argument pattern
 * starting with {@code /} or {@value #JAVA_HOME} is a path glob ({@code ${java.home}/bin/java}) and matches only an
 * absolute, already normalised path; any other is matched exactly.
 */
public final class ProgramPattern implements Rule {
    /** Stands for the JVM's java.home in an argument pattern. */
    public static final String JAVA_HOME = "${java.home}";

    private final String text;
    private final String program;
    private final Glob glob;
    /** The argument patterns as written; null when the entry leaves the arguments free. */
    private final List<String> args;

    private ProgramPattern(String text, String program, Glob glob, List<String> args) {
        this.text = text;
        this.program = program;
        this.glob = glob;
        this.args = args;
    }

    /** @throws IllegalArgumentException with the offending value */
    public static ProgramPattern parse(String text) {
        return program(text, text, null);
    }

    /**
     * An entry with argument patterns.
     *
     * @throws IllegalArgumentException with the offending value
     */
    public static ProgramPattern withArgs(String program, List<String> args) {
        for (String arg : args) {
            if (arg.startsWith("/") || arg.startsWith(JAVA_HOME)) {
                String path = arg.startsWith(JAVA_HOME) ? "/java.home" + arg.substring(JAVA_HOME.length()) : arg;
                Glob.parse(path); // the same rules as a path glob, with java.home standing in for the placeholder
            } else if (arg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("argument pattern \"" + arg + "\" contains a NUL character");
            }
        }
        return program(program + " " + String.join(" ", args), program, List.copyOf(args));
    }

    private static ProgramPattern program(String text, String program, List<String> args) {
        if (program.indexOf('/') >= 0) {
            return new ProgramPattern(text, program, Glob.parse(program), args);
        }
        if (program.isEmpty()) {
            throw new IllegalArgumentException("an empty entry names no program");
        }
        if (program.indexOf('*') >= 0 || program.indexOf('?') >= 0) {
            throw new IllegalArgumentException("\"" + program
                    + "\" has a wildcard but no /: wildcards need an absolute path" + " pattern such as /usr/bin/*");
        }
        return new ProgramPattern(text, program, null, args);
    }

    /**
     * @param program command[0] as given
     * @param absoluteProgram the program's absolute, normalised path, for glob entries; null when it was found nowhere
     */
    public boolean matchesProgram(String program, String absoluteProgram) {
        if (glob == null) {
            return this.program.equals(program);
        }
        return absoluteProgram != null && glob.matches(absoluteProgram);
    }

    /** The program as written: a name or a path glob. */
    public String program() {
        return program;
    }

    /** The argument patterns as written, or null when any arguments match. */
    public List<String> args() {
        return args;
    }

    /** The entry's argument patterns with java.home put in, ready to match; null when any arguments match. */
    public Arguments arguments(String javaHome) {
        if (args == null) {
            return null;
        }
        Object[] patterns = new Object[args.size()];
        for (int i = 0; i < patterns.length; i++) {
            String arg = args.get(i);
            String expanded = arg.startsWith(JAVA_HOME) ? javaHome + arg.substring(JAVA_HOME.length()) : arg;
            patterns[i] = expanded.startsWith("/") ? Glob.parse(expanded) : expanded;
        }
        return new Arguments(patterns);
    }

    @Override
    public String text() {
        return text;
    }

    /** Compiled argument patterns: each a {@link Glob} or an exact string. */
    public static final class Arguments {
        private final Object[] patterns;

        Arguments(Object[] patterns) {
            this.patterns = patterns;
        }

        /** @param command the whole command line; command[0] is the program and is not matched here */
        public boolean match(List<String> command) {
            if (command.size() - 1 != patterns.length) {
                return false;
            }
            for (int i = 0; i < patterns.length; i++) {
                String arg = command.get(i + 1);
                Object pattern = patterns[i];
                if (pattern instanceof Glob) {
                    // Only a path already in normal form: "..", "." or "//" could mean another file once links resolve.
                    if (!arg.startsWith("/")
                            || !PathNormalizer.normalize(arg, "/").equals(arg)
                            || !((Glob) pattern).matches(arg)) {
                        return false;
                    }
                } else if (!pattern.equals(arg)) {
                    return false;
                }
            }
            return true;
        }
    }
}
