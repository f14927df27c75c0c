package io.warden.aws.findings;

import java.util.List;
import java.util.Optional;

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

    /** Findings of functions (with those of the layers they use, when the query names a function) and of layers. */
    default List<Finding> findings(FindingQuery query) {
        java.util.ArrayList<Finding> found = new java.util.ArrayList<>();
        if (query.function() == null) {
            functions().forEach(f -> f.findings().stream().filter(query::matches).forEach(found::add));
            layers().forEach(l -> l.findings().stream().filter(query::matches).forEach(found::add));
            return found;
        }
        for (FunctionRecord f : functions()) {
            if (f.functionName().equals(query.function()) || f.functionArn().equals(query.function())) {
                f.findings().stream().filter(query::matches).forEach(found::add);
                for (String layer : f.layerArns()) {
                    findLayer(layer).ifPresent(l -> l.findings().stream().filter(query::matches).forEach(found::add));
                }
            }
        }
        return found;
    }
}
