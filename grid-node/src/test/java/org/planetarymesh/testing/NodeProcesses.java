package org.planetarymesh.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** The task processes an agent started, found by the {@code MESH_NODE} entry of their environment (Linux). */
public final class NodeProcesses {
    private NodeProcesses() {
    }

    /** The live processes whose environment says the agent {@code node} started them. */
    public static List<Long> of(String node) {
        return withEnv("MESH_NODE=" + node);
    }

    /** The live processes of one task, any attempt, on any agent. */
    public static List<Long> ofTask(String taskId) {
        return withEnv("MESH_TASK_ID=" + taskId);
    }

    /** Whether the agent's log says its tasks run in bubblewrap (they then die with it: --die-with-parent). */
    public static boolean sandboxedWithBwrap(Path agentLog) {
        try (Stream<String> lines = Files.lines(agentLog)) {
            return lines.anyMatch(l -> l.contains("sandbox detected") && l.contains("pid-isolation"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + agentLog, e);
        }
    }

    /** The live processes whose initial environment holds the whole entry {@code KEY=value}. */
    public static List<Long> withEnv(String entry) {
        byte[] marker = entry.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> environHas(p, marker) && isRunning(p))
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
    }

    private static boolean environHas(Path proc, byte[] entry) {
        try {
            byte[] environ = Files.readAllBytes(proc.resolve("environ"));
            int start = 0;
            for (int i = 0; i <= environ.length; i++) {
                if (i == environ.length || environ[i] == 0) {
                    if (i - start == entry.length && Arrays.equals(environ, start, i, entry, 0, entry.length)) {
                        return true;
                    }
                    start = i + 1;
                }
            }
            return false;
        } catch (IOException gone) {
            return false;
        }
    }

    /** Zombies hold nothing: only processes not yet reaped by a parent that went away count. */
    private static boolean isRunning(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }
}
