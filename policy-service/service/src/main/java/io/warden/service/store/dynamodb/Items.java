package io.warden.service.store.dynamodb;

import io.warden.service.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** Attribute values, table definitions, paged reads and compression the DynamoDB stores share. */
final class Items {

    private Items() {}

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeDefinition attribute(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder()
                .attributeName(name)
                .attributeType(type)
                .build();
    }

    static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    /** Every item the scan finds, following every page. */
    static List<Map<String, AttributeValue>> scanAll(DynamoDbClient dynamo, ScanRequest request) {
        return dynamo.scanPaginator(request).items().stream().toList();
    }

    /** Every item the query finds, following every page. */
    static List<Map<String, AttributeValue>> queryAll(DynamoDbClient dynamo, QueryRequest request) {
        return dynamo.queryPaginator(request).items().stream().toList();
    }

    /** Where the next page starts, or null after the last one. */
    static Map<String, AttributeValue> next(boolean hasLastEvaluatedKey, Map<String, AttributeValue> lastEvaluatedKey) {
        return hasLastEvaluatedKey && !lastEvaluatedKey.isEmpty() ? lastEvaluatedKey : null;
    }

    static StoreException failure(String what, Throwable cause) {
        return new StoreException(what + ": " + cause.getMessage(), cause);
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compressed.toByteArray();
    }

    static byte[] gunzip(byte[] compressed) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
