package io.warden.agent.core.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("fast")
class KernelPathsTest {

    @Test
    void aPathWithoutDotDotIsNormalisedOnItsTextAndAnAbsoluteNormalOneIsReturnedAsItIs() {
        KernelPaths paths = new KernelPaths("/srv/app");
        String normal = "/srv/app/data/in.csv";

        assertThat(paths.of(normal)).isSameAs(normal);
        assertThat(paths.of("data//./in.csv")).isEqualTo(normal);
        assertThat(paths.of("data/in.csv".getBytes(StandardCharsets.UTF_8))).isEqualTo(normal);
    }

    @Test
    void dotDotAfterALinkLeavesTheLinksTargetAsTheKernelDoes(@TempDir Path root) throws Exception {
        Path allowed = Files.createDirectories(root.resolve("allowed/deep"));
        Files.createSymbolicLink(root.resolve("allowed/up"), root);
        KernelPaths paths = new KernelPaths(allowed.toString());

        assertThat(paths.of(root + "/allowed/up/../denied/data.txt")).isEqualTo(root.getParent() + "/denied/data.txt");
        assertThat(paths.of("../up/../x")).isEqualTo(root.getParent() + "/x");
        // No link on the way: the same answer as the text gives.
        assertThat(paths.of(root + "/allowed/deep/../data.txt")).isEqualTo(root + "/allowed/data.txt");
        // A path the kernel cannot walk either is judged on its text.
        assertThat(paths.of(root + "/missing/../data.txt")).isEqualTo(root + "/data.txt");
    }

    @Test
    void aNameRelativeToADirectoryDescriptorIsResolvedAgainstThatDirectory(@TempDir Path root) throws Exception {
        Path directory = Files.createDirectories(root.resolve("dir"));
        KernelPaths paths = new KernelPaths("/elsewhere");
        try (var stream = Files.newDirectoryStream(directory)) {
            // The stream holds the directory open; find its descriptor the way the kernel names it.
            int descriptor = descriptorOf(directory);
            assertThat(paths.at(descriptor, "data.txt".getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(directory + "/data.txt");
            assertThat(paths.at(descriptor, "../x".getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(root + "/x");
            assertThat(paths.at(-100, "data.txt".getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo("/elsewhere/data.txt");
            assertThat(stream).isNotNull();
        }
    }

    @Test
    void aPathThroughAProcessLinkIsTheFileTheLinkLeadsTo(@TempDir Path root) throws Exception {
        Path directory = Files.createDirectories(root.resolve("dir"));
        KernelPaths paths = new KernelPaths(directory.toString());
        long pid = ProcessHandle.current().pid();

        assertThat(paths.of("/proc/self/root" + root + "/x")).isEqualTo(root + "/x");
        assertThat(paths.of("/proc/thread-self/root" + root + "/x")).isEqualTo(root + "/x");
        assertThat(paths.of("/proc/" + pid + "/task/" + pid + "/root" + root + "/x"))
                .isEqualTo(root + "/x");
        assertThat(paths.of("/proc/self/root")).isEqualTo("/");
        assertThat(paths.of("/tmp/../proc/self/root" + root + "/x")).isEqualTo(root + "/x");
        try (var stream = Files.newDirectoryStream(directory)) {
            int descriptor = descriptorOf(directory);
            assertThat(paths.of("/proc/self/fd/" + descriptor + "/data.txt")).isEqualTo(directory + "/data.txt");
            assertThat(paths.of("/dev/fd/" + descriptor + "/data.txt")).isEqualTo(directory + "/data.txt");
            assertThat(stream).isNotNull();
        }
        // Files of /proc itself are judged by their own names, with no file system access.
        for (String own : List.of("/proc/self/maps", "/proc/self/fd", "/proc/self/rootfs", "/proc/cpuinfo")) {
            assertThat(paths.of(own)).isSameAs(own);
        }
    }

    @Test
    void theLastDotDotSegmentIsFoundAndDotsInNamesAreNone() {
        assertThat(KernelPaths.lastParentSegment("/a/../b/../c")).isEqualTo(8);
        assertThat(KernelPaths.lastParentSegment("..")).isZero();
        assertThat(KernelPaths.lastParentSegment("/a/..b/c..")).isEqualTo(-1);
        assertThat(KernelPaths.lastParentSegment("/a/b")).isEqualTo(-1);
    }

    private static int descriptorOf(Path directory) throws Exception {
        try (var descriptors = Files.list(Path.of("/proc/self/fd"))) {
            for (Path link : (Iterable<Path>) descriptors::iterator) {
                try {
                    if (Files.readSymbolicLink(link).equals(directory)) {
                        return Integer.parseInt(link.getFileName().toString());
                    }
                } catch (java.io.IOException closedMeanwhile) {
                    // the listing's own descriptor
                }
            }
        }
        throw new AssertionError("no descriptor for " + directory);
    }
}
