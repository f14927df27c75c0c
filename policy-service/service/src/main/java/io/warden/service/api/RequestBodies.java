package io.warden.service.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads request bodies within a size limit, checking their content type first. */
final class RequestBodies {

    private RequestBodies() {}

    /** The body as one JSON object. @throws ApiException 415, 413 or 400 naming the problem */
    static ObjectNode jsonObject(ApiRequest request, int maxBytes, String where) {
        requireContentType(request, ApiResponse.JSON);
        byte[] body = bytes(request, maxBytes);
        JsonNode tree;
        try {
            tree = ApiJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw malformed(where, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw ApiException.badRequest(where + ": the body is empty; expected a JSON object");
        }
        if (!tree.isObject()) {
            throw ApiException.badRequest(where + ": expected a JSON object, not "
                    + tree.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return (ObjectNode) tree;
    }

    /** @throws ApiException 415 when the media type of Content-Type is not the expected one */
    static void requireContentType(ApiRequest request, String... expected) {
        String contentType = request.header("content-type");
        String mediaType =
                contentType == null ? null : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        for (String accepted : expected) {
            if (accepted.equals(mediaType)) {
                return;
            }
        }
        throw new ApiException(
                415,
                "unsupported_media_type",
                "Content-Type "
                        + (contentType == null
                                ? "is missing"
                                : "\"" + ApiJson.abbreviate(contentType) + "\" is not accepted")
                        + "; expected " + String.join(" or ", expected));
    }

    /** The whole body, refusing it by its declared length or while reading once it passes the limit. */
    static byte[] bytes(ApiRequest request, int maxBytes) {
        if (request.contentLength() > maxBytes) {
            throw tooLarge(request.contentLength() + " bytes", maxBytes);
        }
        try (InputStream in = request.body()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw tooLarge("more than " + maxBytes + " bytes", maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the request body: " + e.getMessage());
        }
    }

    static ApiException malformed(String where, JsonProcessingException e) {
        String at = e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
        return ApiException.badRequest(where + ": malformed JSON" + at + ": " + e.getOriginalMessage());
    }

    /** @throws ApiException 400 when the bytes are not valid UTF-8 */
    static String utf8(byte[] bytes, String where) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest(where + ": the body is not valid UTF-8 (" + e.getMessage() + ")");
        }
    }

    static ApiException tooLarge(String size, long maxBytes) {
        return new ApiException(
                413,
                "payload_too_large",
                "the body of " + size + " is larger than the limit of " + maxBytes + " bytes");
    }
}
