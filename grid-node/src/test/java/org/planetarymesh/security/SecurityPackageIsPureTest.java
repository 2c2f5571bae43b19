package org.planetarymesh.security;

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
 * The CA and identity classes import no Hazelcast, so enrollment and the TLS layer can use them anywhere and
 * they test without a cluster. Only this package's own directory is read: a transport subpackage that hooks
 * into Hazelcast ({@code security.tls}) is not bound by it.
 */
class SecurityPackageIsPureTest {
    private static final Path SOURCES = Path.of("src/main/java/org/planetarymesh/security");
    private static final Pattern HAZELCAST_IMPORT = Pattern.compile("^\\s*import\\s+(static\\s+)?com\\.hazelcast\\.");

    @Test
    void when_theSecuritySourcesAreRead_then_noneImportsHazelcast() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(SOURCES)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }

        assertThat(sources).as("sources of the security package under " + SOURCES.toAbsolutePath())
                .extracting(f -> f.getFileName().toString())
                .contains("MeshCa.java", "MeshIdentity.java");
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
