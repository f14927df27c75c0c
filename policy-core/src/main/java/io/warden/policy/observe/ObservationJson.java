package io.warden.policy.observe;

import io.warden.policy.Mode;
import io.warden.policy.internal.JsonException;
import io.warden.policy.internal.JsonReader;
import io.warden.policy.internal.JsonReader.Token;
import io.warden.policy.internal.JsonTime;
import io.warden.policy.internal.JsonWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The observation line as JSON: one object without newlines, the fields that are set in a fixed order (schema:
 * {@code observation.schema.json} beside this class). {@link #parse} is strict about types and bounded in what it
 * accepts, since the service reads lines from agents it does not trust.
 */
public final class ObservationJson {
    /** Longest line {@link #parse} accepts, in characters. */
    public static final int MAX_LINE_CHARS = 1 << 20;
    /** Most items {@link #parse} accepts in one line. */
    public static final int MAX_ITEMS = 10_000;
    /** Most resources of one aws item, and most arguments of one process item, {@link #parse} accepts. */
    public static final int MAX_MEMBERS = 256;

    private ObservationJson() {}

    /** One JSON object with no newline inside (and none at the end). */
    public static String toJsonLine(Observation o) {
        JsonWriter json = new JsonWriter(128 + 96 * o.items().size());
        json.startObject();
        json.name("warden").value(Observation.KIND);
        json.name("version").value(Observation.VERSION);
        string(json, "id", o.id());
        string(json, "function", o.function());
        string(json, "functionVersion", o.functionVersion());
        string(json, "account", o.account());
        string(json, "region", o.region());
        string(json, "requestId", o.requestId());
        json.name("time").value(JsonTime.format(o.time()));
        if (o.mode() != null) {
            json.name("mode").value(o.mode().jsonName());
        }
        json.name("dropped").value(o.dropped());
        json.name("items").startArray();
        for (ObservedItem item : o.items()) {
            write(json, item);
        }
        json.endArray();
        return json.endObject().toString();
    }

    /** One item as a JSON object, as it appears in the line's {@code items}. */
    public static String toJson(ObservedItem item) {
        JsonWriter json = new JsonWriter(96);
        write(json, item);
        return json.toString();
    }

    private static void write(JsonWriter json, ObservedItem item) {
        json.startObject().name("kind").value(item.kind());
        if (item instanceof ObservedItem.Network n) {
            json.name("operation").value(n.operation());
            string(json, "host", n.host());
            json.name("address").value(n.address());
            json.name("port").value(n.port());
        } else if (item instanceof ObservedItem.Dns d) {
            json.name("name").value(d.name());
        } else if (item instanceof ObservedItem.File f) {
            json.name("operation").value(f.operation());
            json.name("path").value(f.path());
        } else if (item instanceof ObservedItem.Process p) {
            json.name("program").value(p.program());
            json.name("args").startArray();
            for (String arg : p.args()) {
                json.value(arg);
            }
            json.endArray();
        } else if (item instanceof ObservedItem.Native n) {
            json.name("path").value(n.path());
        } else if (item instanceof ObservedItem.Jndi j) {
            json.name("name").value(j.name());
        } else if (item instanceof ObservedItem.Deserialization d) {
            json.name("class").value(d.className());
        } else if (item instanceof ObservedItem.Aws a) {
            json.name("service").value(a.service());
            json.name("operation").value(a.operation());
            string(json, "region", a.region());
            json.name("resources").startObject();
            for (Map.Entry<String, String> e : a.resources().entrySet()) {
                json.name(e.getKey()).value(e.getValue());
            }
            json.endObject();
            string(json, "error", a.error());
        }
        json.name("count").value(item.count());
        string(json, "caller", item.caller());
        json.endObject();
    }

    private static void string(JsonWriter json, String name, String value) {
        if (value != null) {
            json.name(name).value(value);
        }
    }

    /**
     * Reads an observation line (or the body of {@code POST /v1/observations}). Fields it does not know are skipped, so
     * older readers accept newer lines; an item of a kind it does not know is an error. A line without {@code id} (from
     * an agent before ids) is read with a null id.
     *
     * @throws IllegalArgumentException when the text is not an observation, naming the problem and where
     */
    public static Observation parse(String line) {
        if (line.length() > MAX_LINE_CHARS) {
            throw new IllegalArgumentException(
                    "observation of " + line.length() + " characters is longer than " + MAX_LINE_CHARS);
        }
        JsonReader json = new JsonReader(line, MAX_LINE_CHARS);
        try {
            return new Reader(json).observation();
        } catch (JsonException e) {
            String at = e.pointer().isEmpty() ? "" : " at " + e.pointer();
            throw new IllegalArgumentException("invalid JSON" + at + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            String at = json.pointer().isEmpty() ? "" : " at " + json.pointer();
            throw new IllegalArgumentException("invalid observation" + at + ": " + e.getMessage(), e);
        }
    }

    /** Reads one observation, keeping the fields until its end. */
    private static final class Reader {
        private final JsonReader json;

        Reader(JsonReader json) {
            this.json = json;
        }

        Observation observation() throws JsonException {
            if (json.next() != Token.START_OBJECT) {
                throw new IllegalArgumentException("an observation must be a JSON object");
            }
            String kind = null;
            Long version = null;
            String id = null;
            String function = null;
            String functionVersion = null;
            String account = null;
            String region = null;
            String requestId = null;
            Instant time = null;
            Mode mode = null;
            long dropped = 0;
            List<ObservedItem> items = null;
            while (json.next() == Token.NAME) {
                String name = json.text();
                if (json.next() == Token.NULL) {
                    continue;
                }
                switch (name) {
                    case "warden" -> kind = text(name);
                    case "version" -> version = number(name);
                    case "id" -> id = text(name);
                    case "function" -> function = text(name);
                    case "functionVersion" -> functionVersion = text(name);
                    case "account" -> account = text(name);
                    case "region" -> region = text(name);
                    case "requestId" -> requestId = text(name);
                    case "time" -> time = Instant.parse(text(name));
                    case "mode" -> mode = Mode.parse(text(name));
                    case "dropped" -> dropped = number(name);
                    case "items" -> items = items();
                    default -> json.skipValue();
                }
            }
            json.expectEnd("the observation object");
            if (!Observation.KIND.equals(kind)) {
                throw new IllegalArgumentException(
                        "not an observation: \"warden\" is not \"" + Observation.KIND + "\"");
            }
            if (version == null || version != Observation.VERSION) {
                throw new IllegalArgumentException("\"version\" must be " + Observation.VERSION + ", not " + version);
            }
            if (items == null) {
                throw new IllegalArgumentException("\"items\" is missing");
            }
            return new Observation(
                    id, function, functionVersion, account, region, requestId, time, mode, dropped, items);
        }

        private List<ObservedItem> items() throws JsonException {
            if (json.token() != Token.START_ARRAY) {
                throw new IllegalArgumentException("\"items\" must be an array, not " + json.describe());
            }
            List<ObservedItem> items = new ArrayList<>();
            while (json.next() != Token.END_ARRAY) {
                if (items.size() == MAX_ITEMS) {
                    throw new IllegalArgumentException("more than " + MAX_ITEMS + " items");
                }
                items.add(item());
            }
            return items;
        }

        private ObservedItem item() throws JsonException {
            if (json.token() != Token.START_OBJECT) {
                throw new IllegalArgumentException("an item must be an object, not " + json.describe());
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            while (json.next() == Token.NAME) {
                String name = json.text();
                if (json.next() == Token.NULL) {
                    continue;
                }
                switch (name) {
                    case "kind",
                            "operation",
                            "host",
                            "address",
                            "name",
                            "path",
                            "program",
                            "class",
                            "service",
                            "region",
                            "error",
                            "caller" -> fields.put(name, text(name));
                    case "port", "count" -> fields.put(name, number(name));
                    case "args" -> fields.put(name, strings(name));
                    case "resources" -> fields.put(name, resources());
                    default -> json.skipValue();
                }
            }
            String kind = (String) fields.get("kind");
            if (kind == null) {
                throw new IllegalArgumentException("an item has no \"kind\"");
            }
            long count = fields.containsKey("count") ? (Long) fields.get("count") : 0;
            String caller = (String) fields.get("caller");
            switch (kind) {
                case ObservedItem.Network.KIND:
                    long port = fields.containsKey("port") ? (Long) fields.get("port") : -1;
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException("network item: \"port\" must be 0-65535, not " + port);
                    }
                    return new ObservedItem.Network(
                            (String) fields.getOrDefault("operation", "connect"),
                            (String) fields.get("host"),
                            (String) fields.get("address"),
                            (int) port,
                            count,
                            caller);
                case ObservedItem.Dns.KIND:
                    return new ObservedItem.Dns((String) fields.get("name"), count, caller);
                case ObservedItem.File.KIND:
                    return new ObservedItem.File(
                            (String) fields.get("operation"), (String) fields.get("path"), count, caller);
                case ObservedItem.Process.KIND:
                    @SuppressWarnings("unchecked")
                    List<String> args = (List<String>) fields.getOrDefault("args", List.of());
                    return new ObservedItem.Process((String) fields.get("program"), args, count, caller);
                case ObservedItem.Native.KIND:
                    return new ObservedItem.Native((String) fields.get("path"), count, caller);
                case ObservedItem.Jndi.KIND:
                    return new ObservedItem.Jndi((String) fields.get("name"), count, caller);
                case ObservedItem.Deserialization.KIND:
                    return new ObservedItem.Deserialization((String) fields.get("class"), count, caller);
                case ObservedItem.Aws.KIND:
                    @SuppressWarnings("unchecked")
                    Map<String, String> resources = (Map<String, String>) fields.getOrDefault("resources", Map.of());
                    return new ObservedItem.Aws(
                            (String) fields.get("service"),
                            (String) fields.get("operation"),
                            (String) fields.get("region"),
                            resources,
                            (String) fields.get("error"),
                            count,
                            caller);
                default:
                    throw new IllegalArgumentException("unknown item kind \"" + kind + "\"");
            }
        }

        private List<String> strings(String name) throws JsonException {
            if (json.token() != Token.START_ARRAY) {
                throw new IllegalArgumentException("\"" + name + "\" must be an array, not " + json.describe());
            }
            List<String> values = new ArrayList<>();
            while (json.next() != Token.END_ARRAY) {
                if (values.size() == MAX_MEMBERS) {
                    throw new IllegalArgumentException("\"" + name + "\" has more than " + MAX_MEMBERS + " entries");
                }
                values.add(text(name));
            }
            return values;
        }

        private Map<String, String> resources() throws JsonException {
            if (json.token() != Token.START_OBJECT) {
                throw new IllegalArgumentException("\"resources\" must be an object, not " + json.describe());
            }
            Map<String, String> resources = new LinkedHashMap<>();
            while (json.next() == Token.NAME) {
                if (resources.size() == MAX_MEMBERS) {
                    throw new IllegalArgumentException("\"resources\" has more than " + MAX_MEMBERS + " members");
                }
                String name = json.text();
                json.next();
                resources.put(name, text(name));
            }
            return resources;
        }

        private long number(String name) {
            if (json.token() != Token.INTEGER) {
                throw new IllegalArgumentException("\"" + name + "\" must be an integer, not " + json.describe());
            }
            try {
                return Long.parseLong(json.text());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + name + "\" " + json.text() + " is out of range");
            }
        }

        private String text(String name) {
            if (json.token() != Token.STRING) {
                throw new IllegalArgumentException("\"" + name + "\" must be a string, not " + json.describe());
            }
            return json.text();
        }
    }
}
