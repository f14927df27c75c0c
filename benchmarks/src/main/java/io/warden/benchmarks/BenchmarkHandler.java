package io.warden.benchmarks;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** A handler that does almost nothing, so that the invocation scope around it is what is measured. */
public class BenchmarkHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return event;
    }

    /** The Context Lambda would pass, with fixed values. */
    static final class FixedContext implements Context {
        @Override
        public String getAwsRequestId() {
            return "8f5e7c1a-0000-4000-8000-000000000042";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/benchmark";
        }

        @Override
        public String getLogStreamName() {
            return "benchmark";
        }

        @Override
        public String getFunctionName() {
            return "benchmark";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:000000000000:function:benchmark";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 30_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 512;
        }

        @Override
        public LambdaLogger getLogger() {
            return null;
        }
    }
}
