package io.warden.aws.findings;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link FindingStore} in memory: for {@code warden aws scan} without a data directory, where nothing is kept. */
public final class InMemoryFindingStore implements FindingStore {
    private final Map<String, PackageRecord> packages = new ConcurrentHashMap<>();
    private final Map<String, FunctionRecord> functions = new ConcurrentHashMap<>();
    private final Map<String, LayerRecord> layers = new ConcurrentHashMap<>();

    @Override
    public Optional<PackageRecord> findPackage(String codeSha256) {
        return Optional.ofNullable(packages.get(codeSha256));
    }

    @Override
    public void putPackage(PackageRecord record) {
        packages.put(record.codeSha256(), record);
    }

    @Override
    public List<PackageRecord> packages() {
        return List.copyOf(packages.values());
    }

    @Override
    public Optional<FunctionRecord> findFunction(String functionArn) {
        return Optional.ofNullable(functions.get(functionArn));
    }

    @Override
    public List<Finding> putFunction(FunctionRecord record) {
        FunctionRecord previous = functions.put(record.functionArn(), record);
        return FindingStore.added(previous == null ? List.of() : previous.findings(), record.findings());
    }

    @Override
    public void removeFunction(String functionArn) {
        functions.remove(functionArn);
    }

    @Override
    public List<FunctionRecord> functions() {
        return List.copyOf(functions.values());
    }

    @Override
    public Optional<LayerRecord> findLayer(String layerVersionArn) {
        return Optional.ofNullable(layers.get(layerVersionArn));
    }

    @Override
    public List<Finding> putLayer(LayerRecord record) {
        LayerRecord previous = layers.put(record.layerVersionArn(), record);
        return FindingStore.added(previous == null ? List.of() : previous.findings(), record.findings());
    }

    @Override
    public List<LayerRecord> layers() {
        return List.copyOf(layers.values());
    }
}
