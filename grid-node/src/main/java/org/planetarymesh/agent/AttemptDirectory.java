package org.planetarymesh.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;

import org.planetarymesh.jobs.TaskLaunch;

/**
 * The working directory of one attempt: {@code <workRoot>/<jobId>/<task>-a<attempt>}, with the launch's inline
 * files, a {@code tmp/} for {@code TMPDIR} and the files that take the process's stdout and stderr.
 */
final class AttemptDirectory {

    static final String STDOUT = "stdout.log";
    static final String STDERR = "stderr.log";
    static final String TMP = "tmp";

    private static final int MAX_NAME = 100;
    private static final int MAX_SUFFIX = 100;

    private AttemptDirectory() {
    }

    /**
     * Creates a fresh, empty directory for the attempt. A leftover of the same name (an agent that crashed, or two
     * ids that sanitize alike) is never reused nor deleted: the new directory gets a {@code -2}, {@code -3}...
     */
    static Path create(Path workRoot, TaskLaunch launch) throws IOException {
        String task = launch.taskId().startsWith(launch.jobId() + "/")
                ? launch.taskId().substring(launch.jobId().length() + 1)
                : launch.taskId();
        Path jobDir = Files.createDirectories(workRoot).resolve(safeName(launch.jobId()));
        Files.createDirectories(jobDir);
        String base = safeName(task) + "-a" + launch.attempt();
        for (int n = 1; n <= MAX_SUFFIX; n++) {
            Path dir = jobDir.resolve(n == 1 ? base : base + "-" + n);
            try {
                Files.createDirectory(dir);
                Files.createDirectory(dir.resolve(TMP));
                return dir;
            } catch (FileAlreadyExistsException e) {
                // try the next suffix
            }
        }
        throw new IOException("no free work dir name for " + jobDir.resolve(base));
    }

    /** A file-name-safe form of an id: {@code [A-Za-z0-9._-]} kept, anything else {@code _}, never {@code .}/{@code ..}. */
    static String safeName(String id) {
        StringBuilder name = new StringBuilder(Math.min(id.length(), MAX_NAME));
        for (int i = 0; i < id.length() && name.length() < MAX_NAME; i++) {
            char c = id.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            name.append(safe ? c : '_');
        }
        if (name.isEmpty() || name.chars().allMatch(c -> c == '.')) {
            name.insert(0, '_');
        }
        return name.toString();
    }

    /**
     * Writes the inline files (UTF-8) under {@code dir}, creating parent directories. A file whose text starts with
     * {@code #!} is made executable. Paths must be relative and stay inside {@code dir}.
     *
     * @throws IllegalArgumentException for a path that is absolute, escapes the directory or is reserved
     */
    static void writeFiles(Path dir, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = resolveInside(dir, file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
            if (file.getValue().startsWith("#!")) {
                makeExecutable(target);
            }
        }
    }

    private static Path resolveInside(Path dir, String relative) {
        Path path;
        try {
            path = Path.of(relative);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid file path: " + relative);
        }
        Path target = dir.resolve(path).normalize();
        if (relative.isEmpty() || path.isAbsolute() || !target.startsWith(dir) || target.equals(dir)) {
            throw new IllegalArgumentException("file path escapes the work dir: " + relative);
        }
        Path name = dir.relativize(target);
        if (name.equals(Path.of(STDOUT)) || name.equals(Path.of(STDERR))) {
            throw new IllegalArgumentException("file path is reserved for the task output: " + relative);
        }
        return target;
    }

    private static void makeExecutable(Path file) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            permissions.add(PosixFilePermission.OWNER_EXECUTE);
            Files.setPosixFilePermissions(file, permissions);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the task runs it through an interpreter
        }
    }

    /**
     * The bytes the files under {@code dir} hold, counted until the sum passes {@code stopAbove} (a quota check
     * needs no more). Links are not followed; files that vanish meanwhile count as empty.
     */
    static long size(Path dir, long stopAbove) {
        long[] total = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    total[0] += attrs.size();
                    return total[0] > stopAbove ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // unreadable: count what was seen
        }
        return total[0];
    }

    /**
     * Deletes the directory and everything in it without following symbolic links (a link the task made to a
     * file outside is removed, not its target). Directories the task made read-only are made writable first.
     *
     * @return true when nothing is left
     */
    static boolean delete(Path dir) {
        if (!Files.exists(dir)) {
            return true;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    try {
                        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(d);
                        if (!permissions.contains(PosixFilePermission.OWNER_WRITE)
                                || !permissions.contains(PosixFilePermission.OWNER_EXECUTE)) {
                            permissions.add(PosixFilePermission.OWNER_WRITE);
                            permissions.add(PosixFilePermission.OWNER_EXECUTE);
                            permissions.add(PosixFilePermission.OWNER_READ);
                            Files.setPosixFilePermissions(d, permissions);
                        }
                    } catch (UnsupportedOperationException e) {
                        // not POSIX
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
