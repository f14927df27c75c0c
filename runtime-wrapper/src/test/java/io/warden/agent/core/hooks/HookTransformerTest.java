package io.warden.agent.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Woven code may only reach the JVM once the gate exists: the first woven class defines it, unless another thread has. */
@Tag("fast")
class HookTransformerTest {

    private static final String FILE_INPUT_STREAM = "java/io/FileInputStream";

    @Test
    void wovenOnceTheGateIsDefined() throws IOException {
        HookTransformer transformer =
                new HookTransformer(EnumSet.of(Hook.FILE_INPUT_OPEN), new FutureTask<>(() -> null));

        byte[] woven = transform(transformer);

        assertThat(woven).isNotNull();
        assertThat(new String(woven, StandardCharsets.ISO_8859_1)).contains("java/lang/WardenGate");
        assertThat(transformer.installedHooks()).containsExactly(Hook.FILE_INPUT_OPEN);
    }

    @Test
    void leftAsItIsWhenTheGateCouldNotBeDefined() throws IOException {
        HookTransformer transformer = new HookTransformer(EnumSet.of(Hook.FILE_INPUT_OPEN), new FutureTask<>(() -> {
            throw new IllegalStateException("java.lang is not open");
        }));

        assertThat(transform(transformer)).isNull();
        assertThat(transformer.installedHooks()).isEmpty();
    }

    private static byte[] transform(HookTransformer transformer) throws IOException {
        byte[] original;
        try (InputStream in = Object.class.getResourceAsStream("/" + FILE_INPUT_STREAM + ".class")) {
            original = in.readAllBytes();
        }
        return transformer.transform(Object.class.getModule(), null, FILE_INPUT_STREAM, null, null, original);
    }
}
