package io.warden.policy;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import io.warden.policy.internal.ClassPattern;
import io.warden.policy.internal.FileSection;
import io.warden.policy.internal.Glob;
import io.warden.policy.internal.HostPattern;
import io.warden.policy.internal.NetworkRule;
import io.warden.policy.internal.ProgramPattern;
import io.warden.policy.internal.Rule;
import io.warden.policy.internal.Section;
import io.warden.policy.internal.UrlPattern;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the policy JSON with jackson-core's streaming parser, rejecting anything the format does not define. */
final class PolicyParser {
    /** Largest policy accepted, in characters (1 MiB). */
    static final int MAX_POLICY_CHARS = 1 << 20;
    /** Most list entries accepted in one policy, over all lists. */
    static final int MAX_ENTRIES = 10_000;
    /** Longest list entry accepted, in characters. */
    static final int MAX_ENTRY_CHARS = 4096;

    private static final String MODE = "mode";
    private static final String DENY_MODE = "denyMode";
    private static final String ALLOW = "allow";
    private static final String DENY = "deny";
    private static final String READ = "read";
    private static final String WRITE = "write";

    private final JsonParser parser;
    private final String source;
    private int entries;

    private PolicyParser(JsonParser parser, String source) {
        this.parser = parser;
        this.source = source;
    }

    static Policy parse(String json, String source) throws PolicyException {
        if (json.length() > MAX_POLICY_CHARS) {
            throw new PolicyException(source, "", "the policy has " + json.length() + " characters, more than the limit of "
                    + MAX_POLICY_CHARS);
        }
        JsonParser parser;
        try {
            parser = Json.FACTORY.createParser(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try (parser) {
            return new PolicyParser(parser, source).document();
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String where = location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
            throw new PolicyException(source, pointer(parser.getParsingContext()), e.getOriginalMessage() + where);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Policy document() throws IOException, PolicyException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw error("", "the policy must be a JSON object, not " + describe(parser.currentToken()));
        }
        boolean versionSeen = false;
        Mode mode = null;
        Raw<NetworkRule> network = null;
        Raw<HostPattern> dns = null;
        Raw<Glob> files = null;
        Raw<ProgramPattern> processes = null;
        Raw<Glob> nativeLibraries = null;
        Raw<UrlPattern> jndi = null;
        Raw<ClassPattern> deserialization = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "version":
                    version();
                    versionSeen = true;
                    break;
                case MODE:
                    mode = mode();
                    break;
                case "network":
                    network = section(EntryType.NETWORK, ALLOW, DENY);
                    break;
                case "dns":
                    dns = section(EntryType.HOST, ALLOW, DENY);
                    break;
                case "files":
                    files = section(EntryType.GLOB, READ, WRITE, DENY);
                    break;
                case "processes":
                    processes = section(EntryType.PROGRAM, ALLOW, DENY);
                    break;
                case "native":
                    nativeLibraries = section(EntryType.GLOB, ALLOW, DENY);
                    break;
                case "jndi":
                    jndi = section(EntryType.URL, ALLOW, DENY);
                    break;
                case "deserialization":
                    deserialization = section(EntryType.CLASS, ALLOW, DENY);
                    break;
                default:
                    throw error(pointer(), "unknown field \"" + name
                            + "\" (expected version, mode, network, dns, files, processes, native, jndi, deserialization)");
            }
        }
        if (parser.nextToken() != null) {
            throw error("", "unexpected " + describe(parser.currentToken()) + " after the policy object (line "
                    + parser.currentLocation().getLineNr() + ", column " + parser.currentLocation().getColumnNr() + ")");
        }
        if (!versionSeen) {
            throw error("", "missing \"version\" (must be " + Policy.VERSION + ")");
        }
        Mode top = mode == null ? Mode.BLOCK : mode;
        return new Policy(top, build(network, top, true), build(dns, top, false), files(files, top),
                build(processes, top, true), build(nativeLibraries, top, true), build(jndi, top, true),
                build(deserialization, top, true));
    }

    private void version() throws IOException, PolicyException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw error(pointer(), "expected the number " + Policy.VERSION + ", found " + describe(parser.currentToken()));
        }
        if (!parser.getText().equals(Integer.toString(Policy.VERSION))) {
            throw error(pointer(), "version " + parser.getText() + " is not supported (only " + Policy.VERSION + ")");
        }
    }

    private Mode mode() throws IOException, PolicyException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw error(pointer(), "expected a mode (\"block\", \"alert\" or \"off\"), found " + describe(parser.currentToken()));
        }
        try {
            return Mode.parse(parser.getText());
        } catch (IllegalArgumentException e) {
            throw error(pointer(), e.getMessage());
        }
    }

    /**
     * What a section's entries are. A switch, not method references: the agent parses the policy at JVM start, where
     * the first lambda would cost tens of milliseconds.
     */
    private enum EntryType {
        NETWORK, HOST, GLOB, PROGRAM, URL, CLASS;

        Rule parse(String text) {
            switch (this) {
                case NETWORK:
                    return NetworkRule.parse(text);
                case HOST:
                    return HostPattern.parse(text);
                case GLOB:
                    return Glob.parse(text);
                case PROGRAM:
                    return ProgramPattern.parse(text);
                case URL:
                    return UrlPattern.parse(text);
                default:
                    return ClassPattern.parse(text);
            }
        }
    }

    /** Reads a section object; {@code listNames} are the list fields it may have besides mode and denyMode. */
    private <R extends Rule> Raw<R> section(EntryType entryType, String... listNames)
            throws IOException, PolicyException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw error(pointer(), "expected an object, found " + describe(parser.currentToken()));
        }
        Raw<R> raw = new Raw<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if (name.equals(MODE)) {
                raw.mode = mode();
            } else if (name.equals(DENY_MODE)) {
                raw.denyMode = mode();
            } else if (List.of(listNames).contains(name)) {
                raw.set(name, list(entryType));
            } else {
                throw error(pointer(), "unknown field \"" + name
                        + "\" (expected mode, denyMode, " + String.join(", ", listNames) + ")");
            }
        }
        return raw;
    }

    @SuppressWarnings("unchecked")
    private <R extends Rule> List<R> list(EntryType entryType) throws IOException, PolicyException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw error(pointer(), "expected an array of strings, found " + describe(parser.currentToken()));
        }
        List<R> list = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_STRING) {
                throw error(pointer(), "expected a string, found " + describe(token));
            }
            if (++entries > MAX_ENTRIES) {
                throw error(pointer(), "the policy has more than " + MAX_ENTRIES + " list entries");
            }
            String text = parser.getText();
            if (text.length() > MAX_ENTRY_CHARS) {
                throw error(pointer(), "entry of " + text.length() + " characters is longer than the limit of "
                        + MAX_ENTRY_CHARS);
            }
            try {
                list.add((R) entryType.parse(text));
            } catch (IllegalArgumentException e) {
                throw error(pointer(), e.getMessage());
            }
        }
        return List.copyOf(list);
    }

    private static <R extends Rule> Section<R> build(Raw<R> raw, Mode top, boolean defaultAllowEmpty) {
        Raw<R> section = raw == null ? new Raw<>() : raw;
        Mode mode = section.mode == null ? top : section.mode;
        Mode denyMode = section.denyMode == null ? mode : section.denyMode;
        List<R> allow = section.allow == null && defaultAllowEmpty ? List.of() : section.allow;
        return new Section<>(mode, denyMode, allow, section.deny == null ? List.of() : section.deny);
    }

    private static FileSection files(Raw<Glob> raw, Mode top) {
        Raw<Glob> section = raw == null ? new Raw<>() : raw;
        Mode mode = section.mode == null ? top : section.mode;
        Mode denyMode = section.denyMode == null ? mode : section.denyMode;
        return new FileSection(mode, denyMode, orEmpty(section.read), orEmpty(section.write), orEmpty(section.deny));
    }

    private static <R> List<R> orEmpty(List<R> list) {
        return list == null ? List.of() : list;
    }

    private String pointer() {
        JsonStreamContext context = parser.getParsingContext();
        JsonToken token = parser.currentToken();
        boolean opensContainer = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY;
        return pointer(opensContainer ? context.getParent() : context);
    }

    private static String pointer(JsonStreamContext context) {
        return context == null ? "" : context.pathAsPointer().toString();
    }

    private String describe(JsonToken token) throws IOException {
        if (token == null) {
            return "the end of the input";
        }
        switch (token) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "\"" + parser.getText() + "\"";
            default:
                return parser.getText();
        }
    }

    private PolicyException error(String pointer, String problem) {
        return new PolicyException(source, pointer, problem);
    }

    /** A section as read, before defaults are applied. */
    private static final class Raw<R extends Rule> {
        Mode mode;
        Mode denyMode;
        List<R> allow;
        List<R> deny;
        List<R> read;
        List<R> write;

        void set(String name, List<R> list) {
            switch (name) {
                case ALLOW:
                    allow = list;
                    break;
                case DENY:
                    deny = list;
                    break;
                case READ:
                    read = list;
                    break;
                default:
                    write = list;
            }
        }
    }
}
