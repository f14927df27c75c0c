package io.warden.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A folder of fixture documents on the test class path ({@code <root>/<kind>/*.json}), with an
 * {@code expectations.tsv} (a header, then one row of four tab-separated columns per fixture) where a kind has one.
 */
public final class FixtureFolder {

    private final String root;

    public FixtureFolder(String root) {
        this.root = root;
    }

    /** The fixtures of a kind, by file name, sorted. */
    public List<String> fixtures(String kind) throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(folder(kind))) {
            return files.map(path -> path.getFileName().toString())
                    .filter(file -> file.endsWith(".json"))
                    .sorted()
                    .toList();
        }
    }

    public String read(String kind, String name) throws IOException, URISyntaxException {
        return Files.readString(folder(kind).resolve(name), StandardCharsets.UTF_8);
    }

    /** The rows of {@code <kind>/expectations.tsv}, by fixture name. */
    public Map<String, String[]> expectations(String kind) throws IOException, URISyntaxException {
        Map<String, String[]> rows = new TreeMap<>();
        List<String> lines = Files.readAllLines(folder(kind).resolve("expectations.tsv"), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] columns = line.split("\t", -1);
            assertThat(columns).as("columns of %s", line).hasSize(4);
            assertThat(rows.put(columns[0], columns))
                    .as("second row for %s", columns[0])
                    .isNull();
        }
        return rows;
    }

    private Path folder(String kind) throws URISyntaxException {
        return Path.of(FixtureFolder.class.getResource(root + "/" + kind).toURI());
    }
}
