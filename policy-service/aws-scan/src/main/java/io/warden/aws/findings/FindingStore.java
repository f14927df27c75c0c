package io.warden.aws.findings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the AWS scan keeps its inventory and findings. Writes replace the whole entry of one function, layer version or
 * package and return the findings that entry did not have before (the new ones, logged and counted once).
 * Implementations are safe for concurrent use.
 */
public interface FindingStore {

    Optional<PackageRecord> findPackage(String codeSha256);

    void putPackage(PackageRecord record);

    List<PackageRecord> packages();

    Optional<FunctionRecord> findFunction(String functionArn);

    /** @return the findings of {@code record} that the stored entry of the same function did not have */
    List<Finding> putFunction(FunctionRecord record);

    /** Forgets a function that no longer exists. */
    void removeFunction(String functionArn);

    List<FunctionRecord> functions();

    Optional<LayerRecord> findLayer(String layerVersionArn);

    /** @return the findings of {@code record} that the stored entry of the same layer version did not have */
    List<Finding> putLayer(LayerRecord record);

    List<LayerRecord> layers();

    /**
     * The functions a query's {@code function} names: the one with this ARN, or every function of this name (in any
     * account and region). Stores override it to look them up without reading every function.
     */
    default List<FunctionRecord> functionsNamed(String nameOrArn) {
        return functions().stream()
                .filter(f ->
                        f.functionName().equals(nameOrArn) || f.functionArn().equals(nameOrArn))
                .toList();
    }

    /**
     * Findings of functions (with those of the layers they use, when the query names a function) and of layers, each
     * once. The one place a {@link FindingQuery} is applied; stores differ only in how they find the records.
     */
    default List<Finding> findings(FindingQuery query) {
        List<Finding> found = new ArrayList<>();
        if (query.function() == null) {
            functions()
                    .forEach(f -> f.findings().stream().filter(query::matches).forEach(found::add));
            layers().forEach(l -> l.findings().stream().filter(query::matches).forEach(found::add));
            return found;
        }
        Set<String> layersSeen = new HashSet<>();
        for (FunctionRecord f : functionsNamed(query.function())) {
            f.findings().stream().filter(query::matches).forEach(found::add);
            for (String layer : f.layerArns()) {
                if (layersSeen.add(layer)) {
                    findLayer(layer)
                            .ifPresent(l ->
                                    l.findings().stream().filter(query::matches).forEach(found::add));
                }
            }
        }
        return found;
    }

    /** The findings of {@code after} whose keys {@code before} does not have, each once: what a put returns. */
    static List<Finding> added(Collection<Finding> before, List<Finding> after) {
        Set<String> known = new HashSet<>();
        before.forEach(f -> known.add(f.key()));
        List<Finding> added = new ArrayList<>();
        for (Finding f : after) {
            if (known.add(f.key())) {
                added.add(f);
            }
        }
        return added;
    }
}
