package org.planetarymesh.sandbox;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.planetarymesh.submitter.Protection;

/**
 * The layers this node puts around every task, as detected at start (or chosen, for a benchmark). Pure data:
 * {@link SandboxPlanner} turns it into a command line.
 *
 * @param prlimit      rlimits: file size (disk), open files, CPU seconds where no CPU share holds, processes per user
 * @param user         the unprivileged user tasks run as (present only when the agent runs as root)
 * @param bwrap        bubblewrap, verified to work for the task's user: namespaces for files, pids and network
 * @param cgroupLimits what the attempt cgroups enforce (empty: no cgroups)
 * @param hidden       directories a bubblewrapped task must not see (the agent's identity, data, other attempts,
 *                     people's homes): each becomes an empty tmpfs
 */
public record SandboxLayers(Optional<Path> prlimit, Optional<TaskUser> user,
                            Optional<Path> bwrap, Set<Protection> cgroupLimits, List<Path> hidden) {

    public SandboxLayers {
        cgroupLimits = cgroupLimits.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(cgroupLimits));
        // Parents first, and nothing below a hidden parent: its tmpfs hides the child already.
        List<Path> sorted = hidden.stream().map(Path::normalize).distinct()
                .sorted(Comparator.comparingInt(Path::getNameCount).thenComparing(Path::toString)).toList();
        hidden = sorted.stream()
                .filter(p -> sorted.stream().noneMatch(q -> !q.equals(p) && p.startsWith(q)))
                .toList();
    }

    /** No layer at all: a bare process (tests of the runner itself, and the benchmark's baseline). */
    public static SandboxLayers none() {
        return new SandboxLayers(Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), List.of());
    }

    /** What every task on this node gets. */
    public Set<Protection> protections() {
        Set<Protection> protections = EnumSet.noneOf(Protection.class);
        protections.addAll(cgroupLimits);
        if (prlimit.isPresent()) {
            protections.add(Protection.DISK_LIMIT);
            protections.add(Protection.CPU_TIME_LIMIT);
            // RLIMIT_NPROC counts every process of the user: a limit only when tasks have a user of their own.
            if (user.isPresent()) {
                protections.add(Protection.PROCESS_LIMIT);
            }
        }
        if (bwrap.isPresent()) {
            protections.add(Protection.NO_NETWORK);
            protections.add(Protection.PID_ISOLATION);
            protections.add(Protection.FILESYSTEM_ISOLATION);
        }
        if (user.isPresent()) {
            protections.add(Protection.SEPARATE_USER);
        }
        return protections;
    }

    public SandboxLayers withoutCgroups() {
        return new SandboxLayers(prlimit, user, bwrap, Set.of(), hidden);
    }

    public SandboxLayers withoutBwrap() {
        return new SandboxLayers(prlimit, user, Optional.empty(), cgroupLimits, hidden);
    }

    public SandboxLayers withoutPrlimit() {
        return new SandboxLayers(Optional.empty(), user, bwrap, cgroupLimits, hidden);
    }
}
