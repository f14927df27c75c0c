package io.warden.aws.discovery;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code arn:PARTITION:lambda:REGION:ACCOUNT:layer:NAME:VERSION}, taken apart. */
public record LayerVersionArn(String layerArn, String name, long version) {
    private static final Pattern FORM =
            Pattern.compile("(arn:[^:]+:lambda:[^:]+:\\d{12}:layer:([A-Za-z0-9_-]+)):(\\d+)");

    public static LayerVersionArn parse(String arn) {
        Matcher m = FORM.matcher(arn);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a layer version ARN: '" + arn + "'");
        }
        return new LayerVersionArn(m.group(1), m.group(2), Long.parseLong(m.group(3)));
    }
}
