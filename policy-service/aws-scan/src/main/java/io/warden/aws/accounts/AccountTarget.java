package io.warden.aws.accounts;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** One account to scan and the credentials that act in it. */
public record AccountTarget(String accountId, AwsCredentialsProvider credentials) {}
