package io.warden.aws.accounts;

import io.warden.aws.scan.ScanSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * The accounts a scan covers: the caller's own, those listed in the settings, and with
 * {@link ScanSettings#organization()} every active account of the organization. Member accounts are entered by
 * assuming {@link ScanSettings#roleName()} there (credentials refreshed before they expire).
 */
public final class Accounts {
    static final String SESSION_NAME = "warden-scan";

    private final ScanSettings settings;
    private final AwsClients clients;
    private final AwsCredentialsProvider base;
    private final StsClient sts;
    private final Map<String, AccountTarget> targets = new ConcurrentHashMap<>();
    private volatile GetCallerIdentityResponse caller;

    public Accounts(AwsClients clients, AwsCredentialsProvider base) {
        this.settings = clients.settings();
        this.clients = clients;
        this.base = base;
        this.sts = clients.sts(base);
    }

    /** The account the base credentials belong to. */
    public String homeAccount() {
        return caller().account();
    }

    /** Every account to scan, the caller's own first. */
    public List<AccountTarget> all() {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(homeAccount());
        ids.addAll(settings.accountIds());
        if (settings.organization()) {
            ids.addAll(new OrganizationAccounts(
                            clients.http(),
                            base,
                            settings.endpointOverride(),
                            settings.maxAttempts(),
                            settings.retryBaseDelay())
                    .activeAccounts());
        }
        List<AccountTarget> all = new ArrayList<>();
        for (String id : ids) {
            all.add(forAccount(id));
        }
        return all;
    }

    /** The credentials for one account: the base ones at home, the assumed role elsewhere. */
    public AccountTarget forAccount(String accountId) {
        if (!accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("not an AWS account id (12 digits): '" + accountId + "'");
        }
        return targets.computeIfAbsent(accountId, id -> {
            if (id.equals(homeAccount())) {
                return new AccountTarget(id, base);
            }
            String roleArn = "arn:" + partition() + ":iam::" + id + ":role/" + settings.roleName();
            return new AccountTarget(
                    id,
                    StsAssumeRoleCredentialsProvider.builder()
                            .stsClient(sts)
                            .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(SESSION_NAME))
                            .asyncCredentialUpdateEnabled(false)
                            .build());
        });
    }

    private String partition() {
        return caller().arn().split(":")[1];
    }

    private GetCallerIdentityResponse caller() {
        GetCallerIdentityResponse known = caller;
        if (known == null) {
            known = sts.getCallerIdentity();
            caller = known;
        }
        return known;
    }
}
