package io.warden.aws.iam;

import io.warden.policy.observe.Observation;
import io.warden.policy.observe.ObservedItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A function's observed AWS SDK calls, merged, with how much was observed; the input of {@link IamPolicySuggestion}.
 *
 * @param account the account the observations name, or null when none did
 * @param region the region the observations name, or null
 */
public record ObservedCalls(List<ObservedCall> calls, ObservationEvidence evidence, String account, String region) {

    public ObservedCalls {
        calls = List.copyOf(calls);
    }

    /** Merges observation lines as the service does: one call per distinct item, counts summed. */
    public static ObservedCalls of(List<Observation> lines) {
        Map<String, ObservedCall> calls = new LinkedHashMap<>();
        TreeSet<String> versions = new TreeSet<>();
        Instant first = null;
        Instant last = null;
        long dropped = 0;
        String account = null;
        String region = null;
        for (Observation o : lines) {
            first = first == null || o.time().isBefore(first) ? o.time() : first;
            last = last == null || o.time().isAfter(last) ? o.time() : last;
            dropped += o.dropped();
            if (o.functionVersion() != null) {
                versions.add(o.functionVersion());
            }
            account = o.account() != null ? o.account() : account;
            region = o.region() != null ? o.region() : region;
            for (ObservedItem item : o.items()) {
                if (item instanceof ObservedItem.Aws aws) {
                    calls.merge(aws.key(), ObservedCall.of(aws, o.time(), o.time()), ObservedCall::mergedWith);
                }
            }
        }
        return new ObservedCalls(
                new ArrayList<>(calls.values()),
                new ObservationEvidence(lines.size(), first, last, List.copyOf(versions), dropped),
                account,
                region);
    }
}
