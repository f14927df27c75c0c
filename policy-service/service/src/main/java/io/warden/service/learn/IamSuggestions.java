package io.warden.service.learn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.aws.findings.FunctionRecord;
import io.warden.aws.iam.IamActionTable;
import io.warden.aws.iam.IamPolicySuggestion;
import io.warden.aws.iam.ObservationEvidence;
import io.warden.aws.iam.ObservationSource;
import io.warden.aws.iam.ObservedCall;
import io.warden.aws.iam.ObservedCalls;
import io.warden.aws.iam.RolePermissions;
import io.warden.policy.observe.ObservedItem;
import io.warden.service.store.Store;
import io.warden.service.store.observations.ObservationStore;
import io.warden.service.store.observations.ObservedPeriod;
import io.warden.service.store.observations.ObservedVersion;
import io.warden.service.store.observations.StoredItem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The least-privilege IAM policy of a function ({@code warden iam suggest}, {@code GET
 * /v1/functions/{function}/suggested-iam-policy}): its stored {@code aws} observations, over every version, made into
 * an {@link IamPolicySuggestion} and compared with the execution role the AWS scan's inventory holds for it.
 */
public final class IamSuggestions {
    private IamSuggestions() {}

    public static ObjectNode suggest(Store store, String function) {
        ObservedCalls observed = observed(store.observations(), function);
        List<FunctionRecord> deployed = store.findings().functionsNamed(function);
        FunctionRecord record = deployed.size() == 1 ? deployed.get(0) : null;
        String account = record == null ? null : record.accountId();
        String region = record == null ? null : record.region();
        IamPolicySuggestion suggestion = IamPolicySuggestion.suggest(
                IamActionTable.load(),
                observed == null ? List.of() : observed.calls(),
                account,
                region,
                observed == null ? ObservationEvidence.NONE : observed.evidence());
        RolePermissions role = record == null ? null : record.executionRole();
        ObjectNode out = suggestion.toJson(function, role);
        if (record != null) {
            out.put("functionArn", record.functionArn());
        }
        if (deployed.isEmpty()) {
            out.put(
                    "roleNote",
                    "the AWS scan's inventory has no function named " + function + ": the role is not compared, and"
                            + " ARNs whose call named no account have * as their account (warden aws scan --data-dir"
                            + " DIR, or the deployed scan, fills the inventory)");
        } else if (record == null) {
            List<String> arns =
                    deployed.stream().map(FunctionRecord::functionArn).toList();
            out.put(
                    "roleNote",
                    "the AWS scan's inventory has " + deployed.size() + " functions named " + function + " " + arns
                            + ": the role is not compared");
        } else if (role == null) {
            out.put(
                    "roleNote",
                    "the inventory holds no execution role for " + record.functionArn()
                            + ": the role did not exist, or the function was last scanned by an older Warden");
        }
        return out;
    }

    /** The observation store as the AWS scan reads it. */
    public static ObservationSource source(ObservationStore store) {
        return function -> observed(store, function);
    }

    /** The function's {@code aws} items over every version, merged, or null when nothing was observed of it. */
    static ObservedCalls observed(ObservationStore store, String function) {
        List<ObservedVersion> versions = store.versions(function);
        if (versions.isEmpty()) {
            return null;
        }
        ObservedPeriod period = ObservedPeriod.of(versions);
        Map<String, ObservedCall> calls = new LinkedHashMap<>();
        for (StoredItem stored : store.items(function, null)) {
            if (stored.item() instanceof ObservedItem.Aws aws) {
                calls.merge(
                        aws.key(),
                        ObservedCall.of(aws, stored.firstSeen(), stored.lastSeen()),
                        ObservedCall::mergedWith);
            }
        }
        return new ObservedCalls(
                new ArrayList<>(calls.values()),
                new ObservationEvidence(
                        period.lines(),
                        period.firstSeen(),
                        period.lastSeen(),
                        period.versions(),
                        period.dropped() + period.refusedItems()),
                null,
                null);
    }
}
