package io.warden.agent.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyRevisionsTest {

    @TempDir
    Path directory;

    @Test
    void recordsTheRevisionItWasGiven() throws IOException {
        PolicyRevisions revisions = new PolicyRevisions(directory.toFile(), "orders");
        assertThat(revisions.highest()).isEqualTo(-1);
        assertThat(revisions.record(1_733_580_000_123L)).isTrue();
        assertThat(new PolicyRevisions(directory.toFile(), "orders").highest()).isEqualTo(1_733_580_000_123L);
        assertThat(new PolicyRevisions(directory.toFile(), "billing").highest()).isEqualTo(-1);
        assertThat(directory.toFile().list()).containsExactly(".warden-policy-revision-orders");
    }

    @Test
    void aRecordItDidNotWriteIsAnErrorNotAFreshStart() throws IOException {
        Files.writeString(directory.resolve(".warden-policy-revision-orders"), "garbage");
        assertThatThrownBy(() -> new PolicyRevisions(directory.toFile(), "orders").highest())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("holds no revision");
        Files.delete(directory.resolve(".warden-policy-revision-orders"));
        Files.createDirectory(directory.resolve(".warden-policy-revision-orders"));
        assertThatThrownBy(() -> new PolicyRevisions(directory.toFile(), "orders").highest())
                .isInstanceOf(IOException.class);
    }

    @Test
    void aLinkLeftInItsPlaceIsReplacedNotFollowed() throws IOException {
        Path elsewhere = Files.writeString(directory.resolve("elsewhere"), "untouched");
        Files.createSymbolicLink(directory.resolve(".warden-policy-revision-orders"), elsewhere);
        assertThat(new PolicyRevisions(directory.toFile(), "orders").record(7)).isTrue();
        assertThat(Files.readString(elsewhere)).isEqualTo("untouched");
        assertThat(Files.isSymbolicLink(directory.resolve(".warden-policy-revision-orders")))
                .isFalse();
        assertThat(new PolicyRevisions(directory.toFile(), "orders").highest()).isEqualTo(7);
    }
}
