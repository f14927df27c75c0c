package io.warden.scanner.vuln.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("fast")
class Pep440SchemeTest {
    private final Pep440Scheme pep440 = new Pep440Scheme();

    /** The total order given as an example in PEP 440 ("Summary of permitted suffixes and relative ordering"). */
    @Test
    void ordersThePep440Example() {
        List<String> ascending = List.of(
                "1.dev0",
                "1.0.dev456",
                "1.0a1",
                "1.0a2.dev456",
                "1.0a12.dev456",
                "1.0a12",
                "1.0b1.dev456",
                "1.0b2",
                "1.0b2.post345.dev456",
                "1.0b2.post345",
                "1.0rc1.dev456",
                "1.0rc1",
                "1.0",
                "1.0+abc.5",
                "1.0+abc.7",
                "1.0+5",
                "1.0.post456.dev34",
                "1.0.post456",
                "1.0.15",
                "1.1.dev1");
        for (int i = 0; i + 1 < ascending.size(); i++) {
            assertThat(pep440.parse(ascending.get(i)).compareTo(pep440.parse(ascending.get(i + 1))))
                    .as("%s < %s", ascending.get(i), ascending.get(i + 1))
                    .isNegative();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "1.0, 1.0.0",
        "1.0a1, 1.0.alpha.1",
        "1.0rc1, 1.0c1",
        "1.0rc1, 1.0-pre1",
        "1.0.post1, 1.0-1",
        "1.0.post1, 1.0.r1",
        "1!2.0, 1!2",
        "v1.0, 1.0",
        "1.0.dev0, 1.0.dev",
        "1.0a0, 1.0a"
    })
    void normalizesEquivalentSpellings(String a, String b) {
        assertThat(pep440.parse(a).compareTo(pep440.parse(b))).isZero();
    }

    @Test
    void anEpochOutranksTheRelease() {
        assertThat(pep440.parse("1!1.0").compareTo(pep440.parse("2024.1"))).isPositive();
    }

    @Test
    void rejectsWhatIsNotAVersionNamingIt() {
        assertThatThrownBy(() -> pep440.parse("banana"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'banana'");
    }
}
