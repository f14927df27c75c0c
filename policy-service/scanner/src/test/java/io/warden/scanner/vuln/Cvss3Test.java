package io.warden.scanner.vuln;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Base scores published by NVD for these CVEs' vectors. */
@Tag("fast")
class Cvss3Test {
    @ParameterizedTest
    @CsvSource({
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H, 10.0", // CVE-2021-44228
        "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H, 9.0", // CVE-2021-45046
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, 9.8", // CVE-2022-42889
        "CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:U/C:H/I:H/A:H, 6.6", // CVE-2021-44832
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:H, 8.6", // CVE-2021-45105
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H, 7.5", // CVE-2022-42003
        "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N, 3.3", // CVE-2020-8908
        "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N, 5.5", // CVE-2023-2976
        "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:L, 8.3", // CVE-2022-1471
        "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N, 6.5", // CVE-2021-43797
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N, 0.0",
    })
    void computesTheBaseScore(String vector, double score) {
        assertThat(Cvss3.baseScore(vector)).isEqualTo(score);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P; not a CVSS v3 vector",
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H; lacks the base metric A",
                "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H; invalid value 'X' of AV",
            })
    void rejectsVectorsItCannotScoreNamingTheProblem(String vector, String message) {
        assertThatThrownBy(() -> Cvss3.baseScore(vector))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .hasMessageContaining(vector);
    }
}
