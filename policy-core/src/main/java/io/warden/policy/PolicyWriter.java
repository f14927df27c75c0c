package io.warden.policy;

import io.warden.policy.internal.JsonWriter;
import io.warden.policy.internal.ProgramPattern;
import io.warden.policy.internal.Rule;
import io.warden.policy.internal.Section;
import java.util.List;

/** Writes a policy as canonical JSON: every section, with its effective modes, in a fixed order. */
final class PolicyWriter {
    private PolicyWriter() {}

    static String toJson(Policy policy) {
        JsonWriter json = new JsonWriter(1024);
        json.startObject();
        json.name("version").value(Policy.VERSION);
        json.name("mode").value(policy.mode().jsonName());
        if (policy.learn() != null) {
            json.name("learn").value(policy.learn().booleanValue());
        }
        json.name("network").startObject();
        sectionLists(json, policy.network());
        list(json, "listen", policy.inbound().listen());
        list(json, "accept", policy.inbound().accept());
        json.endObject();
        section(json, "dns", policy.dns());
        json.name("files").startObject();
        modes(json, policy.files().mode(), policy.files().denyMode());
        list(json, "read", policy.files().read());
        list(json, "write", policy.files().write());
        list(json, "deny", policy.files().deny());
        json.endObject();
        json.name("processes").startObject();
        sectionLists(json, policy.processes());
        list(json, "others", policy.otherProcesses());
        json.endObject();
        json.name("native").startObject();
        modes(json, policy.nativeLibraries().mode(), policy.nativeLibraries().denyMode());
        json.name("allowShipped").value(policy.allowsShippedNative());
        list(json, "allow", policy.nativeLibraries().allow());
        list(json, "deny", policy.nativeLibraries().deny());
        json.endObject();
        section(json, "jndi", policy.jndi());
        section(json, "deserialization", policy.deserialization());
        return json.endObject().toString();
    }

    private static void section(JsonWriter json, String name, Section<? extends Rule> section) {
        json.name(name).startObject();
        sectionLists(json, section);
        json.endObject();
    }

    private static void sectionLists(JsonWriter json, Section<? extends Rule> section) {
        modes(json, section.mode(), section.denyMode());
        if (section.allow() != null) {
            list(json, "allow", section.allow());
        }
        list(json, "deny", section.deny());
    }

    private static void modes(JsonWriter json, Mode mode, Mode denyMode) {
        json.name("mode").value(mode.jsonName());
        json.name("denyMode").value(denyMode.jsonName());
    }

    private static void list(JsonWriter json, String name, List<? extends Rule> entries) {
        json.name(name).startArray();
        for (Rule entry : entries) {
            if (entry instanceof ProgramPattern && ((ProgramPattern) entry).args() != null) {
                ProgramPattern program = (ProgramPattern) entry;
                json.startObject()
                        .name("program")
                        .value(program.program())
                        .name("args")
                        .startArray();
                for (String arg : program.args()) {
                    json.value(arg);
                }
                json.endArray().endObject();
            } else {
                json.value(entry.text());
            }
        }
        json.endArray();
    }
}
