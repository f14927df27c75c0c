package io.warden.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("fast")
class PathNormalizerTest {
    @ParameterizedTest(name = "{0} in {1} is {2}")
    @CsvSource({
        "/tmp/../proc/self/environ, /srv, /proc/self/environ",
        "/a/./b//c/, /srv, /a/b/c",
        "data/x.csv, /srv/app, /srv/app/data/x.csv",
        "../../../../etc/passwd, /srv/app, /etc/passwd",
        "./, /srv/app, /srv/app",
        "'', /srv/app, /srv/app",
        "/.., /srv, /",
        "/, /srv, /",
        "//, /srv, /",
        "/a/b/.., /srv, /a",
        "/a/..b/.c, /srv, /a/..b/.c",
        "/a/b/../../.., /srv, /",
    })
    void normalizes(String path, String workingDirectory, String expected) {
        assertThat(PathNormalizer.normalize(path, workingDirectory)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"/var/task/app.jar", "/", "/a/..b", "/.hidden/x"})
    void returnsANormalisedPathItself(String path) {
        assertThat(PathNormalizer.normalize(path, "/srv")).isSameAs(path);
    }
}
