package io.warden.aws.fake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A function deployed in the fake: its configuration, code, URL and resource policy. */
public final class FakeFunction {
    final String name;
    String runtime = "java21";
    String role;
    String codeSha256;
    String packageType = "Zip";
    final List<String> layers = new ArrayList<>();
    final Map<String, String> environment = new LinkedHashMap<>();
    String urlAuthType;
    String policy;

    FakeFunction(String name) {
        this.name = name;
    }

    public FakeFunction runtime(String value) {
        runtime = value;
        return this;
    }

    public FakeFunction role(String arn) {
        role = arn;
        return this;
    }

    /** The code's CodeSha256, as {@link FakeAws#code(byte[])} returned it. */
    public FakeFunction code(String sha) {
        codeSha256 = sha;
        return this;
    }

    public FakeFunction image() {
        packageType = "Image";
        runtime = null;
        return this;
    }

    public FakeFunction layer(String layerVersionArn) {
        layers.add(layerVersionArn);
        return this;
    }

    public FakeFunction env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public FakeFunction url(String authType) {
        urlAuthType = authType;
        return this;
    }

    public FakeFunction policy(String json) {
        policy = json;
        return this;
    }
}
