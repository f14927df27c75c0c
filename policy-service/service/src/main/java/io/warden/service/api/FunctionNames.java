package io.warden.service.api;

import java.util.regex.Pattern;

/** Function names as Lambda allows them ({@code AWS_LAMBDA_FUNCTION_NAME}). */
public final class FunctionNames {

    public static final int MAX_LENGTH = 64;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");

    private FunctionNames() {}

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /** @throws ApiException 400 naming the value */
    static String require(String name, String where) {
        if (!isValid(name)) {
            throw ApiException.badRequest(where + ": function name "
                    + (name == null
                            ? "is missing"
                            : "\"" + ApiJson.abbreviate(name) + "\" is not a Lambda function name (1-" + MAX_LENGTH
                                    + " letters, digits, - and _)"));
        }
        return name;
    }
}
