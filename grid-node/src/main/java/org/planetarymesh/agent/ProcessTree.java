package org.planetarymesh.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Finds and SIGKILLs every process of one task attempt, then waits (bounded) until they are gone.
 *
 * <p>A process belongs to the attempt when it is, at the moment of a sweep:
 * <ul>
 *   <li>the leader (the process the runner started) or one of its {@link ProcessHandle#descendants()};</li>
 *   <li>a member of the attempt's process group ({@code groupId}, only when the leader was started through
 *       {@code setsid}), which catches double forks that were re-parented to init but kept the group;</li>
 *   <li>(Linux) a process whose initial environment ({@code /proc/<pid>/environ}) holds the attempt's cookie
 *       entry {@code MESH_ATTEMPT_ID=<attemptId>}, which catches daemons that left both the tree and the group
 *       ({@code setsid}, {@code daemon(3)}) — the same trick as Jenkins' {@code BUILD_ID} process-tree killer.</li>
 * </ul>
 * A process that left the tree and the group <em>and</em> exec'd with a scrubbed environment ({@code env -i},
 * {@code setsid env -i ...}) is not found: only a cgroup per attempt would catch it.
 *
 * <p>Zombies count as gone: they hold no resources, and a container whose PID 1 does not reap orphans keeps
 * them around forever, while {@link ProcessHandle#isAlive()} still calls them alive.
 */
final class ProcessTree {

    /** What a kill did: the pids it signalled and those still running when the wait ran out. */
    record Result(Set<Long> killed, Set<Long> survivors) {
    }

    private static final Path PROC = Path.of("/proc");
    private static final int MAX_ROUNDS = 5;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final boolean procfs = Files.isReadable(PROC.resolve("self/stat"));
    private final Optional<Path> killCommand = Stream.of("/usr/bin/kill", "/bin/kill")
            .map(Path::of).filter(Files::isExecutable).findFirst();
    private final long self = ProcessHandle.current().pid();

    /**
     * Kills everything that belongs to the attempt and waits up to {@code grace} for it to be gone. Sweeps again
     * after each wait, so processes forked while the previous sweep was being killed are caught too.
     *
     * @param leader  the started process; may already have exited (then only group and cookie are swept)
     * @param groupId the attempt's process group, or {@code -1} when the leader did not get its own group
     * @param cookie  the {@code KEY=value} environment entry that marks the attempt's processes, or null
     */
    Result kill(ProcessHandle leader, long groupId, String cookie, Duration grace) {
        return killAll(leader, groupId, cookie, grace);
    }

    /**
     * Kills every process whose initial environment holds {@code cookie}, with no leader or group to start from:
     * the orphans an earlier run of this agent left when it was killed.
     */
    Result killMarked(String cookie, Duration grace) {
        return killAll(null, -1, cookie, grace);
    }

    private Result killAll(ProcessHandle leader, long groupId, String cookie, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        byte[] cookieBytes = cookie == null ? null : cookie.getBytes(StandardCharsets.UTF_8);
        Set<Long> killed = new TreeSet<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean leaderAlive = leader != null && isRunning(leader);
            Map<Long, ProcessHandle> found = members(leader, groupId, cookieBytes);
            if (found.isEmpty()) {
                return new Result(killed, Set.of());
            }
            // The group kill is atomic (nothing in the group can fork past it). Only while the leader is alive:
            // then the group id is certainly still ours.
            if (groupId > 0 && leaderAlive) {
                signalGroup(groupId);
            }
            found.values().forEach(ProcessHandle::destroyForcibly);
            killed.addAll(found.keySet());
            if (!awaitGone(found.values(), deadline)) {
                break;
            }
        }
        Set<Long> survivors = new TreeSet<>(members(leader, groupId, cookieBytes).keySet());
        return new Result(killed, survivors);
    }

    /**
     * Sends {@code signal} (e.g. {@code STOP}, {@code CONT}) to the attempt's group, the leader and its descendants,
     * for suspending a task without a freezer cgroup; returns the pids signalled.
     */
    Set<Long> signal(String signal, ProcessHandle leader, long groupId, String cookie) {
        Map<Long, ProcessHandle> found = members(leader, groupId,
                cookie == null ? null : cookie.getBytes(StandardCharsets.UTF_8));
        List<String> command = new ArrayList<>();
        if (killCommand.isEmpty() || found.isEmpty()) {
            return Set.of();
        }
        command.add(killCommand.get().toString());
        command.add("-" + signal);
        command.add("--");
        if (groupId > 0 && leader != null && isRunning(leader)) {
            command.add("-" + groupId);
        }
        found.keySet().forEach(pid -> command.add(Long.toString(pid)));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(1, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            return Set.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new TreeSet<>(found.keySet());
    }

    /** CPU time of this process's reaped children ({@code cutime + cstime} in /proc/self/stat); 0 if unknown. */
    static long reapedChildrenCpuNanos() {
        try {
            String text = Files.readString(PROC.resolve("self/stat"), StandardCharsets.ISO_8859_1);
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            // After the comm: state(0) ... utime(11) stime(12) cutime(13) cstime(14), in clock ticks (USER_HZ 100).
            long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            return ticks * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** True when the process exists and is not a zombie. */
    boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        if (!procfs) {
            return true;
        }
        Stat stat = stat(process.pid());
        return stat != null && stat.running();
    }

    private Map<Long, ProcessHandle> members(ProcessHandle leader, long groupId, byte[] cookie) {
        Map<Long, ProcessHandle> found = new LinkedHashMap<>();
        if (leader != null && leader.isAlive()) {
            found.put(leader.pid(), leader);
            leader.descendants().forEach(p -> found.put(p.pid(), p));
        }
        if (procfs && (groupId > 0 || cookie != null)) {
            // The group is a session of its own (setsid), so its members were all forked after its leader:
            // unless pids wrapped around since, a group-only sweep reads only pids above the leader's.
            long lowest = cookie == null && groupId > 0 && lastPid() >= groupId ? groupId : 0;
            for (long pid : procPids()) {
                if (pid < lowest || pid == self || found.containsKey(pid)) {
                    continue;
                }
                Stat stat = stat(pid);
                if (stat == null || !stat.running()) {
                    continue;
                }
                if ((groupId > 0 && stat.pgid() == groupId) || (cookie != null && environHas(pid, cookie))) {
                    ProcessHandle.of(pid).ifPresent(p -> found.put(pid, p));
                }
            }
        }
        found.remove(self);
        found.values().removeIf(p -> !isRunning(p));
        return found;
    }

    private boolean awaitGone(Iterable<ProcessHandle> processes, long deadline) {
        for (ProcessHandle p : processes) {
            while (isRunning(p)) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        }
        return true;
    }

    private void signalGroup(long groupId) {
        if (killCommand.isEmpty()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder(killCommand.get().toString(), "-KILL", "--", "-" + groupId)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            // A non-zero exit only means the group was already empty.
            if (!kill.waitFor(1, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            // The per-process kills that follow still cover the tree; only the atomicity is lost.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last pid the kernel handed out in this pid namespace, or 0 when unknown. */
    private static long lastPid() {
        try {
            return Long.parseLong(Files.readString(PROC.resolve("sys/kernel/ns_last_pid")).trim());
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private List<Long> procPids() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    pids.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return pids;
    }

    /** The fields of {@code /proc/<pid>/stat} this class needs. */
    private record Stat(char state, long pgid) {
        boolean running() {
            return state != 'Z' && state != 'X' && state != 'x';
        }
    }

    private static Stat stat(long pid) {
        try {
            String text = Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.ISO_8859_1);
            // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so parse after the last ')'.
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ", 4);
            return new Stat(fields[0].charAt(0), Long.parseLong(fields[2]));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean environHas(long pid, byte[] entry) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(PROC.resolve(pid + "/environ"));
        } catch (IOException e) {
            return false; // another user's process, or gone
        }
        // Entries are NUL-separated: match a whole entry, not a prefix of a longer attempt id.
        int start = 0;
        while (start < environ.length) {
            int end = start;
            while (end < environ.length && environ[end] != 0) {
                end++;
            }
            if (end - start == entry.length && Arrays.equals(environ, start, end, entry, 0, entry.length)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }
}
