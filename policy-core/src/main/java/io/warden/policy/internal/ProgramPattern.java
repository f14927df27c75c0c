package io.warden.policy.internal;

/**
 * A {@code processes} entry: with a "/" it is a {@link Glob} on the program as an absolute path ({@code /usr/bin/*});
 * without one it matches the program name exactly as given to ProcessBuilder ({@code git}).
 */
public final class ProgramPattern implements Rule {
    private final String text;
    private final Glob glob;

    private ProgramPattern(String text, Glob glob) {
        this.text = text;
        this.glob = glob;
    }

    /** @throws IllegalArgumentException with the offending value */
    public static ProgramPattern parse(String text) {
        if (text.indexOf('/') >= 0) {
            return new ProgramPattern(text, Glob.parse(text));
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an empty entry names no program");
        }
        if (text.indexOf('*') >= 0 || text.indexOf('?') >= 0) {
            throw new IllegalArgumentException("\"" + text + "\" has a wildcard but no /: wildcards need an absolute path"
                    + " pattern such as /usr/bin/*");
        }
        return new ProgramPattern(text, null);
    }

    /**
     * @param program command[0] as given
     * @param absoluteProgram command[0] normalised against the working directory, for glob entries
     */
    public boolean matches(String program, String absoluteProgram) {
        if (glob == null) {
            return text.equals(program);
        }
        return program.indexOf('/') >= 0 && glob.matches(absoluteProgram);
    }

    @Override
    public String text() {
        return text;
    }
}
