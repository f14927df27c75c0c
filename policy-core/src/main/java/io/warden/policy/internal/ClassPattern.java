package io.warden.policy.internal;

/**
 * A class name pattern in the syntax of {@code jdk.serialFilter}: {@code a.b.C} (the class), {@code a.b.*} (classes
 * of package a.b), {@code a.b.**} (a.b and its subpackages), {@code a.b.C*} (names starting with a.b.C).
 */
public final class ClassPattern implements Rule {
    private enum Kind {
        EXACT,
        PACKAGE,
        TREE,
        PREFIX
    }

    private final String text;
    private final Kind kind;
    private final String literal;

    private ClassPattern(String text, Kind kind, String literal) {
        this.text = text;
        this.kind = kind;
        this.literal = literal;
    }

    /** @throws IllegalArgumentException with the offending value */
    public static ClassPattern parse(String text) {
        Kind kind;
        String literal;
        if (text.endsWith(".**")) {
            kind = Kind.TREE;
            literal = text.substring(0, text.length() - 2);
        } else if (text.endsWith(".*")) {
            kind = Kind.PACKAGE;
            literal = text.substring(0, text.length() - 1);
        } else if (text.endsWith("*")) {
            kind = Kind.PREFIX;
            literal = text.substring(0, text.length() - 1);
        } else {
            kind = Kind.EXACT;
            literal = text;
        }
        String dottedName =
                kind == Kind.PACKAGE || kind == Kind.TREE ? literal.substring(0, literal.length() - 1) : literal;
        if (!isDottedName(dottedName)) {
            throw new IllegalArgumentException("\"" + text + "\" is not a class name pattern (a.b.C, a.b.*, a.b.** or"
                    + " a.b.C*: dot-separated Java identifiers, a wildcard only at the end)");
        }
        return new ClassPattern(text, kind, literal);
    }

    /** Non-empty segments of Java identifier characters or '$', separated by single dots. */
    private static boolean isDottedName(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '.' && c != '$' && (!Character.isJavaIdentifierPart(c) || Character.isIdentifierIgnorable(c))) {
                return false;
            }
        }
        return true;
    }

    /** @param className a binary class name, e.g. {@code org.example.Outer$Inner} */
    public boolean matches(String className) {
        switch (kind) {
            case EXACT:
                return className.equals(literal);
            case PACKAGE:
                return className.startsWith(literal)
                        && className.indexOf('.', literal.length()) < 0
                        && className.length() > literal.length();
            default:
                return className.startsWith(literal);
        }
    }

    /** Length of the text before the wildcard: how specific the pattern is. */
    public int literalPrefixLength() {
        return literal.length();
    }

    @Override
    public String text() {
        return text;
    }
}
