package io.warden.policy;

import com.fasterxml.jackson.core.JsonGenerator;
import io.warden.policy.internal.Rule;
import io.warden.policy.internal.Section;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** Writes a policy as canonical JSON: every section, with its effective modes, in a fixed order. */
final class PolicyWriter {
    private PolicyWriter() {
    }

    static String toJson(Policy policy) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("version", Policy.VERSION);
            json.writeStringField("mode", policy.mode().jsonName());
            section(json, "network", policy.network());
            section(json, "dns", policy.dns());
            json.writeObjectFieldStart("files");
            modes(json, policy.files().mode(), policy.files().denyMode());
            list(json, "read", policy.files().read());
            list(json, "write", policy.files().write());
            list(json, "deny", policy.files().deny());
            json.writeEndObject();
            section(json, "processes", policy.processes());
            section(json, "native", policy.nativeLibraries());
            section(json, "jndi", policy.jndi());
            section(json, "deserialization", policy.deserialization());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void section(JsonGenerator json, String name, Section<? extends Rule> section) throws IOException {
        json.writeObjectFieldStart(name);
        modes(json, section.mode(), section.denyMode());
        if (section.allow() != null) {
            list(json, "allow", section.allow());
        }
        list(json, "deny", section.deny());
        json.writeEndObject();
    }

    private static void modes(JsonGenerator json, Mode mode, Mode denyMode) throws IOException {
        json.writeStringField("mode", mode.jsonName());
        json.writeStringField("denyMode", denyMode.jsonName());
    }

    private static void list(JsonGenerator json, String name, List<? extends Rule> entries) throws IOException {
        json.writeArrayFieldStart(name);
        for (Rule entry : entries) {
            json.writeString(entry.text());
        }
        json.writeEndArray();
    }
}
