package io.warden.service.learn;

import io.warden.policy.observe.ObservedItem;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.regions.EndpointTag;
import software.amazon.awssdk.regions.PartitionEndpointKey;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.ServiceEndpointKey;
import software.amazon.awssdk.regions.ServiceMetadata;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointParams;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointProvider;
import software.amazon.awssdk.services.dynamodb.streams.endpoints.DynamoDbStreamsEndpointParams;
import software.amazon.awssdk.services.dynamodb.streams.endpoints.DynamoDbStreamsEndpointProvider;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/**
 * Which observed AWS SDK calls reach an endpoint host, by the AWS SDK for Java v2's own endpoint rules: the endpoint
 * providers of S3 (whose rules put the bucket in the host: {@code BUCKET.s3.REGION.amazonaws.com}) and DynamoDB (the
 * account: {@code ACCOUNT.ddb.REGION.amazonaws.com}), and for every other service its region metadata
 * ({@code sqs.eu-west-1.amazonaws.com}). The observation does not say how the client was configured: a host is first
 * matched against every call's endpoint in the SDK's default configuration, and only a host none of those is, against
 * every configuration the client could have had (FIPS, dual-stack, path-style, transfer acceleration, account-based
 * endpoints). Each rule resolution costs tens of microseconds, so the variants are computed only when needed. Offline:
 * the rules are code and data of the SDK's jars.
 */
final class AwsEndpoints {

    /** A call whose endpoint is the host, and the host's per-bucket family when the rules put its bucket first. */
    record Reach(ObservedItem.Aws call, String family) {}

    /** The DNS suffixes of every AWS partition: amazonaws.com, amazonaws.com.cn, api.aws... */
    private static final List<String> SUFFIXES = partitionSuffixes();

    private static final S3EndpointProvider S3 = S3EndpointProvider.defaultProvider();
    private static final DynamoDbEndpointProvider DYNAMODB = DynamoDbEndpointProvider.defaultProvider();
    /** The SDK signs DynamoDB Streams calls as {@code dynamodb} too. */
    private static final DynamoDbStreamsEndpointProvider DYNAMODB_STREAMS =
            DynamoDbStreamsEndpointProvider.defaultProvider();

    private static final boolean[] BOTH = {false, true};
    private static final boolean[] NO = {false};
    /** A bucket name of the plainest shape, whose endpoints show where the rules put a bucket in the host. */
    static final String PROBE = "warden-family-probe";
    /** The first label of an account-based endpoint. */
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    /** The calls with a region (without one the rules give no endpoint). */
    private final List<ObservedItem.Aws> calls = new ArrayList<>();
    /** The calls by endpoint host: in the default configuration, and in every variant; each made when first needed. */
    private Map<String, Set<Reach>> byDefault;

    private Map<String, Set<Reach>> byVariant;
    /** The hosts of one call's endpoint parameters (service, region, bucket, table ARN, account), computed once. */
    private final Map<List<Object>, Set<String>> hostsOf = new HashMap<>();

    AwsEndpoints(Collection<ObservedItem.Aws> calls) {
        for (ObservedItem.Aws call : calls) {
            if (region(call) != null) {
                this.calls.add(call);
            }
        }
    }

    /** Whether the host is in an AWS partition's domain, where only a call's endpoint rules say what it is. */
    static boolean isAws(String host) {
        for (String suffix : SUFFIXES) {
            if (host.endsWith("." + suffix)) {
                return true;
            }
        }
        return false;
    }

    /** The observed calls whose endpoint, by the SDK's rules, is this host (lower case); empty when none. */
    Set<Reach> reaching(String host) {
        if (byDefault == null) {
            byDefault = index(false);
        }
        Set<Reach> found = new LinkedHashSet<>(byDefault.getOrDefault(host, Set.of()));
        if (found.isEmpty()) {
            if (byVariant == null) {
                byVariant = index(true);
            }
            found.addAll(byVariant.getOrDefault(host, Set.of()));
        }
        int dot = host.indexOf('.');
        String account = dot < 0 ? "" : host.substring(0, dot);
        if (ACCOUNT.matcher(account).matches()) {
            // An account-based endpoint names the account of the client's credentials, which the call does not carry.
            for (ObservedItem.Aws call : calls) {
                if (call.service().equals("dynamodb")
                        && hosts(call, account, true).contains(host)) {
                    found.add(new Reach(call, null));
                }
            }
        }
        return found;
    }

    private Map<String, Set<Reach>> index(boolean variants) {
        Map<String, Set<Reach>> byHost = new HashMap<>();
        for (ObservedItem.Aws call : calls) {
            for (String host : hosts(call, null, variants)) {
                byHost.computeIfAbsent(host, h -> new LinkedHashSet<>())
                        .add(new Reach(call, family(call, host, variants)));
            }
        }
        return byHost;
    }

    /**
     * The call's endpoint hosts, in the default configuration or in every variant.
     *
     * @param account the credentials' account for account-based endpoints, or null
     */
    private Set<String> hosts(ObservedItem.Aws call, String account, boolean variants) {
        Region region = region(call);
        String bucket = call.resources().get("Bucket");
        String tableArn = tableArn(call);
        List<Object> parameters = Arrays.asList(call.service(), call.region(), bucket, tableArn, account, variants);
        return hostsOf.computeIfAbsent(parameters, p -> switch (call.service()) {
            case "s3" -> variants ? s3(region, bucket) : s3Default(region, bucket);
            case "dynamodb" -> dynamoDb(region, tableArn, account, variants);
            default -> regional(call.service(), region, variants);
        });
    }

    /**
     * S3's endpoints for a bucket (or none): virtual-hosted or path-style, FIPS, dual-stack, accelerated, the legacy
     * global endpoint of us-east-1, the control endpoint of directory buckets. Only combinations the rules accept are
     * asked (acceleration is neither FIPS nor path-style): a suggestion over many buckets stays fast.
     */
    private static Set<String> s3(Region region, String bucket) {
        Set<String> hosts = new TreeSet<>();
        boolean usEast1 = region.equals(Region.US_EAST_1);
        for (boolean dualStack : BOTH) {
            for (boolean fips : BOTH) {
                for (boolean pathStyle : BOTH) {
                    for (boolean global : usEast1 ? BOTH : NO) {
                        add(
                                hosts,
                                () -> S3.resolveEndpoint(s3(region, bucket, dualStack)
                                        .useFips(fips)
                                        .forcePathStyle(pathStyle)
                                        .useGlobalEndpoint(global)
                                        .build()));
                    }
                }
                add(
                        hosts,
                        () -> S3.resolveEndpoint(s3(region, bucket, dualStack)
                                .useFips(fips)
                                .useS3ExpressControlEndpoint(true)
                                .build()));
            }
            add(
                    hosts,
                    () -> S3.resolveEndpoint(
                            s3(region, bucket, dualStack).accelerate(true).build()));
        }
        return hosts;
    }

    private static Set<String> s3Default(Region region, String bucket) {
        Set<String> hosts = new TreeSet<>();
        add(hosts, () -> S3.resolveEndpoint(s3(region, bucket, false).build()));
        return hosts;
    }

    private static S3EndpointParams.Builder s3(Region region, String bucket, boolean dualStack) {
        return S3EndpointParams.builder().region(region).bucket(bucket).useDualStack(dualStack);
    }

    /** DynamoDB's and DynamoDB Streams' endpoints: regional, and account-based for the table ARN's or this account. */
    private static Set<String> dynamoDb(Region region, String tableArn, String account, boolean variants) {
        Set<String> hosts = new TreeSet<>();
        for (boolean fips : variants ? BOTH : NO) {
            for (boolean dualStack : variants ? BOTH : NO) {
                for (String mode : variants ? List.of("disabled", "preferred") : List.of("preferred")) {
                    add(
                            hosts,
                            () -> DYNAMODB.resolveEndpoint(DynamoDbEndpointParams.builder()
                                    .region(region)
                                    .useFips(fips)
                                    .useDualStack(dualStack)
                                    .accountIdEndpointMode(mode)
                                    .accountId(account)
                                    .resourceArn(tableArn)
                                    .build()));
                }
                add(
                        hosts,
                        () -> DYNAMODB_STREAMS.resolveEndpoint(DynamoDbStreamsEndpointParams.builder()
                                .region(region)
                                .useFips(fips)
                                .useDualStack(dualStack)
                                .build()));
            }
        }
        return hosts;
    }

    /** Any other service: its endpoint in the region by the SDK's region metadata, plain, FIPS and dual-stack. */
    private static Set<String> regional(String service, Region region, boolean variants) {
        ServiceMetadata metadata = ServiceMetadata.of(service);
        Set<String> hosts = new TreeSet<>();
        for (List<EndpointTag> tags : variants
                ? List.of(
                        List.<EndpointTag>of(),
                        List.of(EndpointTag.FIPS),
                        List.of(EndpointTag.DUALSTACK),
                        List.of(EndpointTag.FIPS, EndpointTag.DUALSTACK))
                : List.of(List.<EndpointTag>of())) {
            try {
                URI endpoint = metadata.endpointFor(
                        ServiceEndpointKey.builder().region(region).tags(tags).build());
                String host = endpoint.getHost() != null ? endpoint.getHost() : endpoint.toString();
                hosts.add(host.toLowerCase(Locale.ROOT));
            } catch (RuntimeException noSuchEndpoint) {
                // This variant does not exist for the service in that region.
            }
        }
        return hosts;
    }

    /** Adds the host of the endpoint the rules resolve to; nothing when the rules refuse the combination. */
    private static void add(Set<String> hosts, Supplier<CompletableFuture<Endpoint>> rules) {
        try {
            String host = rules.get().join().endpointUrl().host();
            if (host != null) {
                hosts.add(host.toLowerCase(Locale.ROOT));
            }
        } catch (RuntimeException refused) {
            // A combination the rules refuse (path-style with acceleration, FIPS where there is none...).
        }
    }

    /**
     * The host's family when the rules put the call's bucket first in it, as they put any bucket there:
     * {@code *.s3.eu-west-1.amazonaws.com}; otherwise null.
     */
    private String family(ObservedItem.Aws call, String host, boolean variants) {
        String bucket = call.resources().get("Bucket");
        if (!call.service().equals("s3") || bucket == null || !host.startsWith(bucket + ".")) {
            return null;
        }
        // A bucket named like an endpoint's first label ("s3") reaches the path-style endpoint with its name in front:
        // that "family" would be every service of the region. The rules say where a bucket goes, for a plain one.
        String rest = host.substring(bucket.length());
        ObservedItem.Aws probe =
                new ObservedItem.Aws("s3", call.operation(), call.region(), Map.of("Bucket", PROBE), null, 1, null);
        return hosts(probe, null, variants).contains(PROBE + rest) ? "*" + rest : null;
    }

    /** A table named by its ARN routes account-based endpoints to the ARN's account. */
    private static String tableArn(ObservedItem.Aws call) {
        for (String member : List.of("TableName", "ResourceArn")) {
            String value = call.resources().get(member);
            if (value != null && value.startsWith("arn:")) {
                return value;
            }
        }
        return null;
    }

    private static Region region(ObservedItem.Aws call) {
        if (call.region() == null || call.region().isEmpty()) {
            return null;
        }
        try {
            return Region.of(call.region());
        } catch (RuntimeException notARegion) {
            return null;
        }
    }

    private static List<String> partitionSuffixes() {
        Set<String> suffixes = new TreeSet<>();
        for (Region region : Region.regions()) {
            PartitionMetadata partition = PartitionMetadata.of(region);
            suffixes.add(partition.dnsSuffix());
            suffixes.add(partition.dnsSuffix(
                    PartitionEndpointKey.builder().tags(EndpointTag.DUALSTACK).build()));
        }
        return List.copyOf(suffixes);
    }
}
