package io.warden.surface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ClassificationTest {

    private static final NativeMethod OPEN =
            NativeMethod.parse("java.base", "sun.nio.fs.UnixNativeDispatcher#open0(JII)I");

    @Test
    void theMostSpecificSelectorDecides() {
        Classification classification = Classification.parse(String.join(
                "\n",
                "module:java.base                     residual:everything  the module",
                "sun.**                               safe  a subtree",
                "sun.nio.fs.*                         safe  the package",
                "sun.nio.fs.UnixNativeDispatcher      safe  the class",
                "sun.nio.fs.UnixNativeDispatcher#open0  hooked:NIO_OPEN  every overload",
                "sun.nio.fs.UnixNativeDispatcher#open0(JII)I  hooked:NIO_OPEN,NIO_OPEN_AT  this descriptor"));

        assertThat(classification.classify(OPEN).line()).isEqualTo(6);
        assertThat(classification.classify(OPEN).names()).containsExactly("NIO_OPEN", "NIO_OPEN_AT");
        assertThat(classification
                        .classify(NativeMethod.parse("java.base", "sun.nio.fs.UnixNativeDispatcher#open0(J)I"))
                        .line())
                .isEqualTo(5);
        assertThat(classification
                        .classify(NativeMethod.parse("java.base", "sun.nio.fs.UnixNativeDispatcher#close0(I)V"))
                        .line())
                .isEqualTo(4);
        assertThat(classification
                        .classify(NativeMethod.parse("java.base", "sun.nio.fs.Other#x()V"))
                        .line())
                .isEqualTo(3);
        assertThat(classification
                        .classify(NativeMethod.parse("java.base", "sun.nio.ch.Net#x()V"))
                        .line())
                .isEqualTo(2);
        assertThat(classification
                        .classify(NativeMethod.parse("java.base", "java.lang.Object#hashCode()I"))
                        .line())
                .isEqualTo(1);
        assertThat(classification.classify(NativeMethod.parse("java.desktop", "java.awt.Frame#x()V")))
                .isNull();
    }

    @Test
    void aMalformedLineIsAnErrorNamingIt() {
        assertThatThrownBy(() -> Classification.parse("# comment\njava.io.* safe"))
                .hasMessage("line 2: expected <selector> <verdict> <why>: java.io.* safe");
        assertThatThrownBy(() -> Classification.parse("java.io.* hooked  no hook named"))
                .hasMessageStartingWith("line 1: hooked needs what covers it");
        assertThatThrownBy(() -> Classification.parse("java.io.* safe:X  a safe verdict names nothing"))
                .hasMessageStartingWith("line 1: safe takes no names");
        assertThatThrownBy(() -> Classification.parse("java.io.* unknown  why"))
                .hasMessage("line 1: unknown verdict unknown");
        assertThatThrownBy(() -> Classification.parse("java.io.* safe  one\njava.io.* safe  two"))
                .hasMessage("line 2: java.io.* is already classified on line 1");
    }

    @Test
    void theBundledClassificationParses() throws Exception {
        assertThat(Classification.bundled().entries()).hasSizeGreaterThan(100);
    }
}
