package io.warden.scanner.catalog.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ClassShapeTest {
    /** What normalize means, as a regular expression (quadratic over long runs of letters, so not used). */
    static final Pattern PACKAGE_PREFIX = Pattern.compile("(?:[A-Za-z_$][A-Za-z0-9_$]*[/.])+(?=[A-Za-z_$])");

    @Test
    void packagePrefixesAreRemovedFromNamesDescriptorsAndStrings() {
        assertThat(ClassShape.normalize("com/vendor/shaded/org/apache/x/Foo")).isEqualTo("Foo");
        assertThat(ClassShape.normalize("org.apache.x.Foo")).isEqualTo("Foo");
        // A descriptor's L joins the package it opens, as it does in the relocated copy.
        assertThat(ClassShape.normalize("(Lorg/apache/x/Foo;I)Ljava/lang/String;"))
                .isEqualTo("(Foo;I)String;");
        assertThat(ClassShape.normalize("java:comp/env/")).isEqualTo("java:env/");
        assertThat(ClassShape.normalize("2.9.8")).isEqualTo("2.9.8");
        assertThat(ClassShape.normalize(null)).isEmpty();
    }

    @Test
    void theOnePassGivesWhatTheRegularExpressionGives() {
        Random random = new Random(17);
        String alphabet = "ab1_$/./.:;( Z";
        for (int round = 0; round < 20_000; round++) {
            StringBuilder value = new StringBuilder();
            for (int i = random.nextInt(24); i > 0; i--) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String v = value.toString();
            assertThat(ClassShape.normalize(v))
                    .as("'%s'", v)
                    .isEqualTo(PACKAGE_PREFIX.matcher(v).replaceAll(""));
        }
    }

    /** A class's constants are whatever its author wrote: a long run of letters must not take quadratic time. */
    @Test
    void aHostileConstantIsNormalizedInOnePass() {
        String letters = "a".repeat(2_000_000) + "/";
        String normalized = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ClassShape.normalize(letters));
        assertThat(normalized).isEqualTo(letters);
    }
}
