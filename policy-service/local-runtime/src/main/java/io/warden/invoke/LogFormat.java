package io.warden.invoke;

/** The function's log format ({@code AWS_LAMBDA_LOG_FORMAT}); the platform's own lines follow it too. */
public enum LogFormat {
    TEXT("Text"),
    JSON("JSON");

    private final String lambdaName;

    LogFormat(String lambdaName) {
        this.lambdaName = lambdaName;
    }

    /** The value Lambda puts in {@code AWS_LAMBDA_LOG_FORMAT}. */
    public String lambdaName() {
        return lambdaName;
    }

    /** Accepts Lambda's spelling in any case: Text, JSON. */
    public static LogFormat parse(String value) {
        for (LogFormat format : values()) {
            if (format.lambdaName.equalsIgnoreCase(value)) {
                return format;
            }
        }
        throw new IllegalArgumentException("log format '" + value + "' is not Text or JSON");
    }

    @Override
    public String toString() {
        return lambdaName;
    }
}
