package org.planetarymesh.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class SandboxProbeTest {

    @TempDir
    Path root;

    @Test
    void when_aDirectoryOnTheWayIsClosedToOthers_then_itIsTheOneNamed() throws IOException {
        Path open = Files.createDirectories(root.resolve("open"));
        Path closed = Files.createDirectories(open.resolve("closed"));
        Path work = Files.createDirectories(closed.resolve("work"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));

        assertThat(SandboxProbe.unreachableBy(work)).contains(closed);
    }

    @Test
    void when_everyDirectoryOnTheWayMayBeTraversed_then_nothingIsNamed() throws IOException {
        Path work = Files.createDirectories(root.resolve("a/b"));
        for (Path p = work; p.startsWith(root); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
        }

        assertThat(SandboxProbe.unreachableBy(work)).as("/tmp and / are open to others").isEmpty();
    }
}
