package io.warden.policy;

import io.warden.policy.internal.ClassPattern;
import io.warden.policy.internal.FileSection;
import io.warden.policy.internal.Glob;
import io.warden.policy.internal.HostPattern;
import io.warden.policy.internal.Inbound;
import io.warden.policy.internal.JsonException;
import io.warden.policy.internal.JsonReader;
import io.warden.policy.internal.JsonReader.Token;
import io.warden.policy.internal.NetworkRule;
import io.warden.policy.internal.OtherProcessOperation;
import io.warden.policy.internal.PortRange;
import io.warden.policy.internal.ProgramPattern;
import io.warden.policy.internal.Rule;
import io.warden.policy.internal.Section;
import io.warden.policy.internal.UrlPattern;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the policy JSON with {@link JsonReader}, rejecting anything the format does not define. */
final class PolicyParser {
    /** Largest policy accepted, in characters (1 MiB). */
    static final int MAX_POLICY_CHARS = 1 << 20;
    /** Most list entries accepted in one policy, over all lists. */
    static final int MAX_ENTRIES = 10_000;
    /** Longest list entry (and so any string or field name) accepted, in characters. */
    static final int MAX_ENTRY_CHARS = 4096;

    private static final String MODE = "mode";
    private static final String DENY_MODE = "denyMode";
    private static final String ALLOW = "allow";
    private static final String DENY = "deny";
    private static final String READ = "read";
    private static final String WRITE = "write";
    private static final String PROGRAM = "program";
    private static final String ARGS = "args";
    private static final String ALLOW_SHIPPED = "allowShipped";
    private static final String LISTEN = "listen";
    private static final String ACCEPT = "accept";
    private static final String OTHERS = "others";

    private final JsonReader reader;
    private final String source;
    private int entries;

    private PolicyParser(JsonReader reader, String source) {
        this.reader = reader;
        this.source = source;
    }

    static Policy parse(String json, String source) throws PolicyException {
        if (json.length() > MAX_POLICY_CHARS) {
            throw new PolicyException(
                    source,
                    "",
                    "the policy has " + json.length() + " characters, more than the limit of " + MAX_POLICY_CHARS);
        }
        JsonReader reader = new JsonReader(json, MAX_ENTRY_CHARS);
        try {
            return new PolicyParser(reader, source).document();
        } catch (JsonException e) {
            throw new PolicyException(source, e.pointer(), e.getMessage());
        }
    }

    /**
     * The bytes as a string, or an error at the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong
     * form, no surrogate, nothing above U+10FFFF, no truncated sequence). Checked here rather than by a strict
     * CharsetDecoder because the agent parses its policy at start-up, where each class loaded costs time.
     */
    static String decodeUtf8(byte[] bytes, String source) throws PolicyException {
        int i = 0;
        while (i < bytes.length) {
            int lead = bytes[i] & 0xff;
            if (lead < 0x80) {
                i++;
                continue;
            }
            int length = lead >= 0xc2 && lead <= 0xdf
                    ? 2
                    : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
            // The second byte's range excludes overlong forms (E0, F0), surrogates (ED) and code points above
            // U+10FFFF (F4); every further byte is a plain continuation byte.
            int low = lead == 0xe0 ? 0xa0 : lead == 0xf0 ? 0x90 : 0x80;
            int high = lead == 0xed ? 0x9f : lead == 0xf4 ? 0x8f : 0xbf;
            boolean valid = length > 0
                    && i + length <= bytes.length
                    && (bytes[i + 1] & 0xff) >= low
                    && (bytes[i + 1] & 0xff) <= high;
            for (int k = 2; valid && k < length; k++) {
                valid = (bytes[i + k] & 0xc0) == 0x80;
            }
            if (!valid) {
                throw new PolicyException(source, "", "the policy is not valid UTF-8 (at byte " + i + ")");
            }
            i += length;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private Policy document() throws JsonException, PolicyException {
        if (reader.next() != Token.START_OBJECT) {
            throw error("", "the policy must be a JSON object, not " + reader.describe());
        }
        boolean versionSeen = false;
        Mode mode = null;
        Boolean learn = null;
        Raw<NetworkRule> network = null;
        Raw<HostPattern> dns = null;
        Raw<Glob> files = null;
        Raw<ProgramPattern> processes = null;
        Raw<Glob> nativeLibraries = null;
        Raw<UrlPattern> jndi = null;
        Raw<ClassPattern> deserialization = null;
        while (reader.next() == Token.NAME) {
            String name = reader.text();
            reader.next();
            switch (name) {
                case "version":
                    version();
                    versionSeen = true;
                    break;
                case MODE:
                    mode = mode();
                    break;
                case "learn":
                    if (reader.token() != Token.TRUE && reader.token() != Token.FALSE) {
                        throw error(pointer(), "expected true or false, found " + reader.describe());
                    }
                    learn = reader.token() == Token.TRUE;
                    break;
                case "network":
                    network = section(EntryType.NETWORK, ALLOW, DENY, LISTEN, ACCEPT);
                    break;
                case "dns":
                    dns = section(EntryType.HOST, ALLOW, DENY);
                    break;
                case "files":
                    files = section(EntryType.GLOB, READ, WRITE, DENY);
                    break;
                case "processes":
                    processes = section(EntryType.PROGRAM, ALLOW, DENY, OTHERS);
                    break;
                case "native":
                    nativeLibraries = flaggedSection(EntryType.GLOB, ALLOW_SHIPPED, ALLOW, DENY);
                    break;
                case "jndi":
                    jndi = section(EntryType.URL, ALLOW, DENY);
                    break;
                case "deserialization":
                    deserialization = section(EntryType.CLASS, ALLOW, DENY);
                    break;
                default:
                    throw error(
                            pointer(),
                            "unknown field \"" + name
                                    + "\" (expected version, mode, learn, network, dns, files, processes, native, jndi, deserialization)");
            }
        }
        reader.expectEnd("the policy object");
        if (!versionSeen) {
            throw error("", "missing \"version\" (must be " + Policy.VERSION + ")");
        }
        Mode top = mode == null ? Mode.BLOCK : mode;
        return new Policy(
                top,
                learn,
                build(network, top, true),
                build(dns, top, false),
                files(files, top),
                build(processes, top, true),
                build(nativeLibraries, top, true),
                build(jndi, top, true),
                build(deserialization, top, true),
                nativeLibraries != null && nativeLibraries.allowShipped,
                inbound(network),
                others(processes));
    }

    private void version() throws JsonException, PolicyException {
        if (reader.token() != Token.INTEGER) {
            throw error(pointer(), "expected the number " + Policy.VERSION + ", found " + reader.describe());
        }
        if (!reader.text().equals(Integer.toString(Policy.VERSION))) {
            throw error(pointer(), "version " + reader.text() + " is not supported (only " + Policy.VERSION + ")");
        }
    }

    private Mode mode() throws JsonException, PolicyException {
        if (reader.token() != Token.STRING) {
            throw error(pointer(), "expected a mode (\"block\", \"alert\" or \"off\"), found " + reader.describe());
        }
        try {
            return Mode.parse(reader.text());
        } catch (IllegalArgumentException e) {
            throw error(pointer(), e.getMessage());
        }
    }

    /**
     * What a section's entries are. A switch, not method references: the agent parses the policy at JVM start, where
     * the first lambda would cost tens of milliseconds.
     */
    private enum EntryType {
        NETWORK,
        HOST,
        GLOB,
        PROGRAM,
        URL,
        CLASS,
        PORTS,
        PEER,
        PROCESS_OPERATION;

        /** The type of the entries of a list: the section's, except for the lists that hold something else. */
        EntryType of(String list) {
            switch (list) {
                case LISTEN:
                    return PORTS;
                case ACCEPT:
                    return PEER;
                case OTHERS:
                    return PROCESS_OPERATION;
                default:
                    return this;
            }
        }

        Rule parse(String text) {
            switch (this) {
                case NETWORK:
                    return NetworkRule.parse(text);
                case PORTS:
                    return PortRange.parse(text);
                case PEER:
                    NetworkRule peer = NetworkRule.parse(text);
                    if (peer.host() != null) {
                        throw new IllegalArgumentException("\"" + text + "\" is a host name; a peer that connects in"
                                + " is known by its address only (use an address or range)");
                    }
                    return peer;
                case PROCESS_OPERATION:
                    return OtherProcessOperation.parse(text);
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
            throws JsonException, PolicyException {
        return flaggedSection(entryType, null, listNames);
    }

    /** @param flagName a boolean field the section may have besides its lists, or null */
    private <R extends Rule> Raw<R> flaggedSection(EntryType entryType, String flagName, String... listNames)
            throws JsonException, PolicyException {
        if (reader.token() != Token.START_OBJECT) {
            throw error(pointer(), "expected an object, found " + reader.describe());
        }
        Raw<R> raw = new Raw<>();
        while (reader.next() == Token.NAME) {
            String name = reader.text();
            reader.next();
            if (name.equals(MODE)) {
                raw.mode = mode();
            } else if (name.equals(DENY_MODE)) {
                raw.denyMode = mode();
            } else if (List.of(listNames).contains(name)) {
                raw.set(name, list(entryType.of(name)));
            } else if (name.equals(flagName)) {
                if (reader.token() != Token.TRUE && reader.token() != Token.FALSE) {
                    throw error(pointer(), "expected true or false, found " + reader.describe());
                }
                raw.allowShipped = reader.token() == Token.TRUE;
            } else {
                throw error(
                        pointer(),
                        "unknown field \"" + name + "\" (expected mode, denyMode, "
                                + (flagName == null ? "" : flagName + ", ") + String.join(", ", listNames) + ")");
            }
        }
        return raw;
    }

    @SuppressWarnings("unchecked")
    private <R extends Rule> List<R> list(EntryType entryType) throws JsonException, PolicyException {
        if (reader.token() != Token.START_ARRAY) {
            throw error(pointer(), "expected an array of strings, found " + reader.describe());
        }
        List<R> list = new ArrayList<>();
        Token token;
        while ((token = reader.next()) != Token.END_ARRAY) {
            if (++entries > MAX_ENTRIES) {
                throw error(pointer(), "the policy has more than " + MAX_ENTRIES + " list entries");
            }
            if (token == Token.START_OBJECT && entryType == EntryType.PROGRAM) {
                list.add((R) programWithArgs());
                continue;
            }
            if (token != Token.STRING) {
                throw error(
                        pointer(),
                        "expected a string" + (entryType == EntryType.PROGRAM ? " or a {program, args} object" : "")
                                + ", found " + reader.describe());
            }
            try {
                list.add((R) entryType.parse(reader.text()));
            } catch (IllegalArgumentException e) {
                throw error(pointer(), e.getMessage());
            }
        }
        return List.copyOf(list);
    }

    /** A processes entry written as {@code {"program": "ldd", "args": ["--version"]}}. */
    private ProgramPattern programWithArgs() throws JsonException, PolicyException {
        String entryPointer = pointer();
        String program = null;
        List<String> args = null;
        while (reader.next() == Token.NAME) {
            String name = reader.text();
            Token value = reader.next();
            if (name.equals(PROGRAM)) {
                if (value != Token.STRING) {
                    throw error(pointer(), "expected a program name or path glob, found " + reader.describe());
                }
                program = reader.text();
            } else if (name.equals(ARGS)) {
                if (value != Token.START_ARRAY) {
                    throw error(pointer(), "expected an array of argument patterns, found " + reader.describe());
                }
                args = new ArrayList<>();
                while (reader.next() != Token.END_ARRAY) {
                    if (++entries > MAX_ENTRIES) {
                        throw error(pointer(), "the policy has more than " + MAX_ENTRIES + " list entries");
                    }
                    if (reader.token() != Token.STRING) {
                        throw error(pointer(), "expected an argument pattern (a string), found " + reader.describe());
                    }
                    args.add(reader.text());
                }
            } else {
                throw error(pointer(), "unknown field \"" + name + "\" (expected program, args)");
            }
        }
        if (program == null || args == null) {
            throw error(entryPointer, "an entry written as an object needs both \"program\" and \"args\"");
        }
        try {
            return ProgramPattern.withArgs(program, args);
        } catch (IllegalArgumentException e) {
            throw error(entryPointer, e.getMessage());
        }
    }

    private static <R extends Rule> Section<R> build(Raw<R> raw, Mode top, boolean defaultAllowEmpty) {
        Raw<R> section = raw == null ? new Raw<>() : raw;
        Mode mode = section.mode == null ? top : section.mode;
        Mode denyMode = section.denyMode == null ? mode : section.denyMode;
        List<R> allow = section.allow == null && defaultAllowEmpty ? List.of() : section.allow;
        return new Section<>(mode, denyMode, allow, section.deny == null ? List.of() : section.deny);
    }

    @SuppressWarnings("unchecked")
    private static Inbound inbound(Raw<NetworkRule> network) {
        if (network == null || (network.listen == null && network.accept == null)) {
            return Inbound.NONE;
        }
        return new Inbound((List<PortRange>) (List<?>) orEmpty(network.listen), orEmpty(network.accept));
    }

    @SuppressWarnings("unchecked")
    private static List<OtherProcessOperation> others(Raw<ProgramPattern> processes) {
        return processes == null ? List.of() : (List<OtherProcessOperation>) (List<?>) orEmpty(processes.others);
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
        return reader.pointer();
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
        boolean allowShipped;
        /** listen and others hold entries of another type than the section's (see EntryType#of). */
        List<R> listen;

        List<R> accept;
        List<R> others;

        void set(String name, List<R> list) {
            switch (name) {
                case LISTEN:
                    listen = list;
                    break;
                case ACCEPT:
                    accept = list;
                    break;
                case OTHERS:
                    others = list;
                    break;
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
