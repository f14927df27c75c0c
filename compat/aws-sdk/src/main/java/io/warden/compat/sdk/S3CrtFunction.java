package io.warden.compat.sdk;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** S3 through the CRT-based S3 client: an object written and read back. */
public class S3CrtFunction implements RequestHandler<Map<String, String>, String> {

    private static final String BUCKET = "compat";

    private final S3AsyncClient client = S3AsyncClient.crtBuilder()
            .endpointOverride(URI.create(System.getenv("COMPAT_S3_ENDPOINT")))
            .forcePathStyle(true)
            .region(Region.of(System.getenv("AWS_REGION")))
            .credentialsProvider(Items.credentials())
            .build();

    @Override
    public String handleRequest(Map<String, String> event, Context context) {
        String key = "objects/crt.txt";
        client.putObject(put -> put.bucket(BUCKET).key(key), AsyncRequestBody.fromString(event.get("value")))
                .join();
        String read = client.getObject(get -> get.bucket(BUCKET).key(key), AsyncResponseTransformer.toBytes())
                .join()
                .asUtf8String();
        return "s3-crt = " + read;
    }
}
