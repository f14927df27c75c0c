package io.warden.aws.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which IAM actions each AWS SDK operation needs, and each resource type's ARN format: the checked-in table
 * {@value #RESOURCE}, generated from the reviewed operations and the IAM service reference data (its version in
 * {@link #iamData()}). Services are named as the SDK signs them ({@code dynamodb}, {@code s3}), operations as the SDK
 * names them ({@code ListObjectsV2}; looked up in any case), actions as IAM does ({@code s3:ListBucket}).
 */
public final class IamActionTable {
    public static final String RESOURCE = "/io/warden/aws/iam/sdk-operation-actions.json";

    /**
     * One IAM action an operation needs.
     *
     * @param access the action's access level ({@code Read}, {@code Write}, {@code List}, {@code Tagging},
     *     {@code Permissions management})
     * @param resourceTypes the resource types the action may name, as {@code prefix:type}; empty when the action only
     *     takes {@code *}
     * @param members for an action whose resource another request member names: the resource member as the
     *     service's resource naming reads it, to the request member that holds it ({@code Bucket} to
     *     {@code SourceBucket}); empty when the request's own members name it
     */
    public record Action(String name, String access, List<String> resourceTypes, Map<String, String> members) {
        public Action {
            resourceTypes = List.copyOf(resourceTypes);
            members = Map.copyOf(members);
        }

        public String prefix() {
            return name.substring(0, name.indexOf(':'));
        }
    }

    private static volatile IamActionTable loaded;

    private final String iamData;
    private final String iamDataUpdatedAt;
    private final String awsSdk;
    private final Map<String, Map<String, List<Action>>> services;
    private final Map<String, String> arnFormats;

    private IamActionTable(JsonNode table) {
        this.iamData = table.path("iamData").asText();
        this.iamDataUpdatedAt = table.path("iamDataUpdatedAt").asText();
        this.awsSdk = table.path("awsSdk").asText();
        Map<String, Map<String, List<Action>>> services = new TreeMap<>();
        for (Map.Entry<String, JsonNode> service : table.path("services").properties()) {
            // The table names operations as the v2 client's request classes do (GetSmsAttributes); an observed call
            // is named as the service's API names it, which both SDKs put on the wire (GetSMSAttributes).
            Map<String, List<Action>> operations = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Map.Entry<String, JsonNode> operation : service.getValue().properties()) {
                List<Action> actions = new ArrayList<>();
                for (JsonNode a : operation.getValue()) {
                    List<String> types = new ArrayList<>();
                    a.path("resourceTypes").forEach(t -> types.add(t.asText()));
                    Map<String, String> members = new LinkedHashMap<>();
                    a.path("members")
                            .properties()
                            .forEach(m -> members.put(m.getKey(), m.getValue().asText()));
                    actions.add(new Action(
                            a.path("action").asText(), a.path("access").asText(), types, members));
                }
                if (operations.put(operation.getKey(), List.copyOf(actions)) != null) {
                    throw new IllegalStateException(
                            service.getKey() + " lists " + operation.getKey() + " twice, in any case");
                }
            }
            services.put(service.getKey(), operations);
        }
        this.services = services;
        Map<String, String> arnFormats = new TreeMap<>();
        table.path("resourceTypes")
                .properties()
                .forEach(e -> arnFormats.put(e.getKey(), e.getValue().asText()));
        this.arnFormats = arnFormats;
    }

    /** The checked-in table, read once. */
    public static IamActionTable load() {
        IamActionTable table = loaded;
        if (table == null) {
            try (InputStream in = IamActionTable.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the IAM action table " + RESOURCE + " is missing from the jar");
                }
                table = new IamActionTable(new ObjectMapper().readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the IAM action table " + RESOURCE, e);
            }
            loaded = table;
        }
        return table;
    }

    /** The reference data the table was generated from, as {@code package@version}. */
    public String iamData() {
        return iamData;
    }

    public String iamDataUpdatedAt() {
        return iamDataUpdatedAt;
    }

    /** The AWS SDK for Java version whose clients' operations the table lists. */
    public String awsSdk() {
        return awsSdk;
    }

    public boolean covers(String service) {
        return services.containsKey(service);
    }

    public List<String> services() {
        return List.copyOf(services.keySet());
    }

    /** The operations of a service the table lists; empty for a service it does not cover. */
    public List<String> operations(String service) {
        return List.copyOf(services.getOrDefault(service, Map.of()).keySet());
    }

    /**
     * The actions an operation needs: empty when the operation is unknown, or known with no IAM action in the
     * reference data (see {@link #knows}).
     */
    public List<Action> actions(String service, String operation) {
        return services.getOrDefault(service, Map.of()).getOrDefault(operation, List.of());
    }

    public boolean knows(String service, String operation) {
        return services.getOrDefault(service, Map.of()).containsKey(operation);
    }

    /** A resource type's ARN format ({@code arn:${Partition}:s3:::${BucketName}}), or null when unknown. */
    public String arnFormat(String resourceType) {
        return arnFormats.get(resourceType);
    }
}
