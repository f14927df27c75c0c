package io.warden.agent.core.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GeneralizeTest {

    @Test
    void everythingUnderAScratchDirectoryIsItsDoubleStar() {
        assertThat(Generalize.filePath("/tmp/upload-8f3a9c2e-1b2c-4d5e-9f00-123456789abc.json", null))
                .isEqualTo("/tmp/**");
        assertThat(Generalize.filePath("/tmp/cache/report.pdf", null)).isEqualTo("/tmp/**");
        assertThat(Generalize.filePath("/tmp", null)).isEqualTo("/tmp/**");
        // The same instance every time: the hot path neither allocates it nor hashes it again.
        assertThat(Generalize.filePath("/tmp/a", null)).isSameAs(Generalize.filePath("/tmp/b", null));
        assertThat(Generalize.filePath("/var/tmp/x", null)).isEqualTo("/var/tmp/**");
        assertThat(Generalize.filePath("/dev/shm/sem.x", null)).isEqualTo("/dev/shm/**");
        assertThat(Generalize.filePath("/scratch/job/7", "/scratch")).isEqualTo("/scratch/**");
        // A sibling that only starts with the same letters is no scratch directory.
        assertThat(Generalize.filePath("/tmpfiles/a.txt", null)).isEqualTo("/tmpfiles/a.txt");
        assertThat(Generalize.filePath("/a", "/")).isEqualTo("/a");
    }

    @Test
    void generatedSegmentsElsewhereBecomeOneStarEach() {
        assertThat(Generalize.filePath("/proc/4711/stat", null)).isEqualTo("/proc/*/stat");
        assertThat(Generalize.filePath("/proc/self/fd/12", null)).isEqualTo("/proc/self/fd/*");
        assertThat(Generalize.filePath("/mnt/efs/jobs/3f2a9b7c-0d1e-4f2a-8b9c-0d1e2f3a4b5c/out.csv", null))
                .isEqualTo("/mnt/efs/jobs/*/out.csv");
        assertThat(Generalize.filePath("/mnt/efs/report-20261207153000.csv", null))
                .isEqualTo("/mnt/efs/*");
        assertThat(Generalize.filePath("/mnt/efs/blob/9f86d081884c7d65", null)).isEqualTo("/mnt/efs/blob/*");
    }

    @Test
    void namesPeopleWriteAreKept() {
        for (String path : new String[] {
            "/var/task/lib/aws-java-sdk-core-1.12.700.jar",
            "/opt/java/lib/libnetty_transport_native_epoll_x86_64.so",
            "/var/task/log4j2.xml",
            "/etc/ssl/certs/ca-certificates.crt",
            "/var/task/config/v2/settings.json",
            "/proc/self/environ",
            "/usr/lib/jvm/java-17-amazon-corretto/lib/modules",
            "/mnt/efs/deadbeef-cafe/file"
        }) {
            assertThat(Generalize.filePath(path, null)).as(path).isSameAs(path);
        }
    }

    @Test
    void anS3KeyIsItsPrefixUpToTheFirstGeneratedSegment() {
        assertThat(Generalize.keyPrefix("invoices/eu/8f3a9c2e.json")).isEqualTo("invoices/eu/");
        // Date partitions are numbers, so a prefix does not change every day.
        assertThat(Generalize.keyPrefix("orders/2026/12/07/order.json")).isEqualTo("orders/");
        assertThat(Generalize.keyPrefix("uploads/3f2a9b7c-0d1e-4f2a-8b9c-0d1e2f3a4b5c/photo.jpg"))
                .isEqualTo("uploads/");
        assertThat(Generalize.keyPrefix("report.csv")).isEmpty();
        assertThat(Generalize.keyPrefix("1733581234567/report.csv")).isEmpty();
        assertThat(Generalize.keyPrefix("a/b/")).isEqualTo("a/b/");
    }
}
