package org.planetarymesh.scheduler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The policy package imports no Hazelcast: its decisions stay pure and testable without a cluster. Reads the
 * package's sources ({@code src/main/java}, relative to the module directory Maven runs the tests in).
 */
class PolicyPackageIsPureTest {
    private static final Path SOURCES = Path.of("src/main/java/org/planetarymesh/scheduler/policy");
    private static final Pattern HAZELCAST_IMPORT = Pattern.compile("^\\s*import\\s+(static\\s+)?com\\.hazelcast\\.");

    @Test
    void when_thePolicySourcesAreRead_then_noneImportsHazelcast() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(SOURCES)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }

        assertThat(sources).as("sources of the policy package under " + SOURCES.toAbsolutePath())
                .extracting(f -> f.getFileName().toString())
                .contains("PlacementPolicy.java", "SchedulingState.java");
        assertThat(sources).allSatisfy(source -> assertThat(lines(source))
                .as("imports of %s", source.getFileName())
                .noneMatch(line -> HAZELCAST_IMPORT.matcher(line).find()));
    }

    private static List<String> lines(Path source) {
        try {
            return Files.readAllLines(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
