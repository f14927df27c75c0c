package io.warden.policy.observe;

import io.warden.policy.internal.JsonWriter;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One distinct thing a function did, with how often since the previous line and the last caller seen. Two items are
 * the same thing when their {@link #key()}s are equal: every field but {@code count} and {@code caller}.
 */
public sealed interface ObservedItem {
    /** The {@code kind} field: network, dns, file, process, native, jndi, deserialization or aws. */
    String kind();

    /** How many times since the previous line (at least 1). */
    long count();

    /** The first stack frame outside the JDK, Warden and the AWS SDK, or null. */
    String caller();

    /** The same item with another count. */
    ObservedItem withCount(long count);

    /** The item's identity as one string (a JSON array of its kind and identifying fields), e.g. to store it by. */
    String key();

    /**
     * A network operation.
     *
     * @param operation connect (TCP, or a UDP connect), send (a UDP datagram), listen (a server's local port) or accept
     *     (a connection accepted from a peer)
     * @param host the name the address was resolved from in this JVM, or null (an address without a name Warden saw
     *     resolve, a listen, an accepted peer)
     * @param address the address in canonical text form (the local address for listen, the peer's for accept)
     * @param port 0-65535 (0 for a server bound to a port the system picks)
     */
    record Network(String operation, String host, String address, int port, long count, String caller)
            implements ObservedItem {
        public static final String KIND = "network";

        public Network {
            requireText(operation, "network", "operation");
            requireText(address, "network", "address");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("network item: port " + port + " is outside 0-65535");
            }
            requireCount(count, KIND);
        }

        @Override
        public Network withCount(long count) {
            return new Network(operation, host, address, port, count, caller);
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String key() {
            return keyOf(KIND, operation, host, address, Integer.toString(port));
        }
    }

    /** A name resolved (forward, or an {@code in-addr.arpa} / {@code ip6.arpa} name for a reverse lookup). */
    record Dns(String name, long count, String caller) implements ObservedItem {
        public static final String KIND = "dns";

        public Dns {
            requireText(name, KIND, "name");
            requireCount(count, KIND);
        }

        @Override
        public Dns withCount(long count) {
            return new Dns(name, count, caller);
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String key() {
            return keyOf(KIND, name);
        }
    }

    /**
     * A file operation.
     *
     * @param operation as in violation events: read, write, append, create, delete, rename, mkdir, list, link,
     *     attributes, connect, bind
     * @param path the absolute path as judged, or a glob that stands for many such paths ({@code /tmp/**})
     */
    record File(String operation, String path, long count, String caller) implements ObservedItem {
        public static final String KIND = "file";

        public File {
            requireText(operation, KIND, "operation");
            requireText(path, KIND, "path");
            requireCount(count, KIND);
        }

        @Override
        public File withCount(long count) {
            return new File(operation, path, count, caller);
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String key() {
            return keyOf(KIND, operation, path);
        }
    }

    /**
     * A process started.
     *
     * @param program the program as the JDK will run it (its absolute path when it was found)
     * @param args the arguments after the program (not the program itself)
     */
    record Process(String program, List<String> args, long count, String caller) implements ObservedItem {
        public static final String KIND = "process";

        public Process {
            requireText(program, KIND, "program");
            if (args == null) {
                throw new IllegalArgumentException("process item: args is missing");
            }
            args = List.copyOf(args);
            requireCount(count, KIND);
        }

        @Override
        public Process withCount(long count) {
            return new Process(program, args, count, caller);
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String key() {
            JsonWriter json =
                    new JsonWriter(64).startArray().value(KIND).value(program).startArray();
            for (String arg : args) {
                json.value(arg);
            }
            return json.endArray().endArray().toString();
        }
    }

    /** A native library loaded, by the canonical path the JDK opened. */
    record Native(String path, long count, String caller) implements ObservedItem {
        public static final String KIND = "native";

        public Native {
            requireText(path, KIND, "path");
            requireCount(count, KIND);
        }

        @Override
        public Native withCount(long count) {
            return new Native(path, count, caller);
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String key() {
            return keyOf(KIND, path);
        }
    }

    /** A JNDI name looked up (or the URL scheme of a context made for it, {@code ldap:}). */
    record Jndi(String name, long count, String caller) implements ObservedItem {
        public static final String KIND = "jndi";

        public Jndi {
            requireText(name, KIND, "name");
            requireCount(count, KIND);
        }

        @Override
        public Jndi withCount(long count) {
            return new Jndi(name, count, caller);
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String key() {
            return keyOf(KIND, name);
        }
    }

    /** A class deserialized (an array by its element class), the JSON field {@code class}. */
    record Deserialization(String className, long count, String caller) implements ObservedItem {
        public static final String KIND = "deserialization";

        public Deserialization {
            requireText(className, KIND, "class");
            requireCount(count, KIND);
        }

        @Override
        public Deserialization withCount(long count) {
            return new Deserialization(className, count, caller);
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String key() {
            return keyOf(KIND, className);
        }
    }

    /**
     * A call through the AWS SDK, as the SDK marshalled it.
     *
     * @param service the SDK's signing name in lower case: dynamodb, s3, sqs, sns, secretsmanager, ssm, lambda, kms...
     * @param operation the SDK's operation name: GetItem, ListObjectsV2...
     * @param region the region the request was signed for, or null
     * @param resources the request's resource-naming members by their SDK member names (TableName, Bucket, Key as a
     *     prefix, QueueUrl, TopicArn, SecretId, Name, FunctionName, KeyId...), sorted by name; empty when it names none
     * @param error the AWS error code of a failed call ({@code AccessDeniedException}), or null when it succeeded
     */
    record Aws(
            String service,
            String operation,
            String region,
            Map<String, String> resources,
            String error,
            long count,
            String caller)
            implements ObservedItem {
        public static final String KIND = "aws";

        public Aws {
            requireText(service, KIND, "service");
            requireText(operation, KIND, "operation");
            if (resources == null) {
                throw new IllegalArgumentException("aws item: resources is missing");
            }
            for (Map.Entry<String, String> e : resources.entrySet()) {
                requireText(e.getKey(), KIND, "resource name");
                if (e.getValue() == null) {
                    throw new IllegalArgumentException("aws item: resource " + e.getKey() + " has no value");
                }
            }
            resources = Collections.unmodifiableMap(new TreeMap<>(resources));
            requireCount(count, KIND);
        }

        @Override
        public Aws withCount(long count) {
            return new Aws(service, operation, region, resources, error, count, caller);
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String key() {
            JsonWriter json = new JsonWriter(64)
                    .startArray()
                    .value(KIND)
                    .value(service)
                    .value(operation)
                    .value(region == null ? "" : region)
                    .startObject();
            for (Map.Entry<String, String> e : resources.entrySet()) {
                json.name(e.getKey()).value(e.getValue());
            }
            return json.endObject().value(error == null ? "" : error).endArray().toString();
        }
    }

    private static void requireText(String value, String kind, String field) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(kind + " item: " + field + " is missing");
        }
    }

    private static void requireCount(long count, String kind) {
        if (count < 1) {
            throw new IllegalArgumentException(kind + " item: count " + count + " is less than 1");
        }
    }

    private static String keyOf(String kind, String... fields) {
        JsonWriter json = new JsonWriter(64).startArray().value(kind);
        for (String field : fields) {
            json.value(field == null ? "" : field);
        }
        return json.endArray().toString();
    }
}
