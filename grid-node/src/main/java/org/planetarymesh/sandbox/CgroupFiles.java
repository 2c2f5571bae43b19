package org.planetarymesh.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/** Reads and writes cgroup control files, for both versions. */
final class CgroupFiles {
    private static final long POLL_NANOS = 5_000_000;

    private CgroupFiles() {
    }

    static void write(Path file, String value) throws IOException {
        // Control files exist already; CREATE or TRUNCATE would be refused or meaningless on cgroupfs.
        Files.writeString(file, value, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
    }

    static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static long readLong(Path file) {
        return read(file).map(text -> {
            try {
                return Long.parseLong(text.split("\\s+")[0]);
            } catch (NumberFormatException e) {
                return -1L;
            }
        }).orElse(-1L);
    }

    /** The value of {@code key} in a flat-keyed file such as {@code memory.events} ("oom_kill 1"); -1 if absent. */
    static long keyed(Path file, String key) {
        return read(file).map(text -> {
            for (String line : text.split("\n")) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2 && parts[0].equals(key)) {
                    try {
                        return Long.parseLong(parts[1]);
                    } catch (NumberFormatException e) {
                        return -1L;
                    }
                }
            }
            return -1L;
        }).orElse(-1L);
    }

    static Set<Long> pids(Path procsFile) {
        Set<Long> pids = new LinkedHashSet<>();
        read(procsFile).ifPresent(text -> {
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.trim()));
                }
            }
        });
        return pids;
    }

    /** SIGKILLs each pid; a pid gone meanwhile is fine. */
    static void killEach(Set<Long> pids) {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Waits, at most {@code millis}, until the procs file lists nobody. */
    static boolean awaitEmpty(Path procsFile, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!pids(procsFile).isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }

    /** Removes a cgroup directory (rmdir: its control files go with it), retrying briefly while it empties. */
    static boolean remove(Path dir, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            try {
                Files.deleteIfExists(dir);
                return true;
            } catch (IOException e) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        }
    }

    /** Removes the child cgroups of {@code parent} that hold no process (left by an earlier run); how many. */
    static int removeEmptyChildren(Path parent) {
        int removed = 0;
        for (Path child : children(parent)) {
            if (pids(child.resolve("cgroup.procs")).isEmpty() && remove(child, 0)) {
                removed++;
            }
        }
        return removed;
    }

    /** The child directories of a node's parent cgroup: the attempts' cgroups. */
    private static Set<Path> children(Path parent) {
        Set<Path> found = new LinkedHashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, Files::isDirectory)) {
            entries.forEach(found::add);
        } catch (IOException e) {
            // no parent yet: nothing left over
        }
        return found;
    }
}
