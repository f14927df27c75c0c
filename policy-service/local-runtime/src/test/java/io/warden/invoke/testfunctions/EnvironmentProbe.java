package io.warden.invoke.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Returns what the function sees of its environment: variables, working directory, class path, context, trace. */
public class EnvironmentProbe implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Map<String, Object> seen = new TreeMap<>();
        seen.put("env", new TreeMap<>(System.getenv()));
        seen.put("cwd", Path.of("").toAbsolutePath().toString());
        seen.put("classPath", System.getProperty("java.class.path"));
        seen.put(
                "jniLibrary",
                String.valueOf(System.getProperty(
                        "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI")));
        seen.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        seen.put("functionName", context.getFunctionName());
        seen.put("functionArn", context.getInvokedFunctionArn());
        seen.put("memoryLimitMb", context.getMemoryLimitInMB());
        seen.put("remainingMillis", context.getRemainingTimeInMillis());
        seen.put("logGroup", context.getLogGroupName());
        seen.put("requestId", context.getAwsRequestId());
        // The runtime client puts each invocation's trace header here for the X-Ray SDK and the AWS SDK.
        seen.put("traceHeader", String.valueOf(System.getProperty("com.amazonaws.xray.traceHeader")));
        seen.put("event", event);
        return seen;
    }
}
