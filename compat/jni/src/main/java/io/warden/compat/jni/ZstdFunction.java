package io.warden.compat.jni;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.github.luben.zstd.Zstd;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Zstandard through zstd-jni: the value compressed and decompressed again. */
public class ZstdFunction implements RequestHandler<Map<String, String>, String> {

    @Override
    public String handleRequest(Map<String, String> event, Context context) {
        byte[] value = event.get("value").repeat(100).getBytes(StandardCharsets.UTF_8);
        byte[] compressed = Zstd.compress(value);
        byte[] restored = Zstd.decompress(compressed, value.length);
        return "zstd = "
                + new String(restored, StandardCharsets.UTF_8)
                        .substring(0, event.get("value").length()) + " (" + value.length + " bytes in "
                + compressed.length + ")";
    }
}
