package io.warden.compat.jni;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.xerial.snappy.Snappy;

/** Snappy through snappy-java: the value compressed and decompressed again. */
public class SnappyFunction implements RequestHandler<Map<String, String>, String> {

    @Override
    public String handleRequest(Map<String, String> event, Context context) {
        try {
            byte[] value = event.get("value").repeat(100).getBytes(StandardCharsets.UTF_8);
            byte[] compressed = Snappy.compress(value);
            String restored = new String(Snappy.uncompress(compressed), StandardCharsets.UTF_8);
            return "snappy = " + restored.substring(0, event.get("value").length()) + " (" + value.length + " bytes in "
                    + compressed.length + ")";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
