package org.planetarymesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packages that hold decisions, certificates and enrollment import no Hazelcast (house style: the decisions are
 * pure, the wiring is thin), so they are tested without a cluster. The policy package also takes "now" as an
 * argument and starts no process. Reads each package's own directory only ({@code src/main/java}, relative
 * to the module directory Maven runs the tests in): subpackages such as {@code security.tls} are not bound.
 */
class PurePackagesTest {
    private static final Pattern HAZELCAST = Pattern.compile("^\\s*import\\s+(static\\s+)?com\\.hazelcast\\.");
    private static final Pattern CLOCK_OR_PROCESS =
            Pattern.compile("System\\.currentTimeMillis|Instant\\.now|Clock\\.system|ProcessBuilder|java\\.net\\.");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "scheduler/policy, PlacementPolicy.java, true",
        "security, MeshCa.java, false",
        "health, NodeHealth.java, true",
        "discovery, TxtRecord.java, false",
        "enroll, EnrollmentService.java, false",
        "owner, OwnerPolicy.java, false",
    })
    void when_aPurePackagesSourcesAreRead_then_noneReachesOutOfIt(String dir, String knownFile,
                                                                  boolean noClockNorProcess) throws IOException {
        Path sources = Path.of("src/main/java/org/planetarymesh").resolve(dir);
        List<Path> files;
        try (Stream<Path> listing = Files.list(sources)) {
            files = listing.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }

        assertThat(files).as("sources under " + sources.toAbsolutePath())
                .extracting(f -> f.getFileName().toString()).contains(knownFile);
        assertThat(files).allSatisfy(file -> {
            List<String> lines = lines(file);
            assertThat(lines).as("Hazelcast imports in %s", file.getFileName())
                    .noneMatch(line -> HAZELCAST.matcher(line).find());
            if (noClockNorProcess) {
                assertThat(lines).as("clock, process or network use in %s", file.getFileName())
                        .noneMatch(line -> CLOCK_OR_PROCESS.matcher(line).find());
            }
        });
    }

    private static List<String> lines(Path source) {
        try {
            return Files.readAllLines(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
