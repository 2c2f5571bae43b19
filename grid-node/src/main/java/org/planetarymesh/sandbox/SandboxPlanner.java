package org.planetarymesh.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Protection;

/**
 * Turns the node's layers and one attempt's limits into the command line that starts it. Pure: no file, process
 * or cgroup is touched, so every combination is tested as data.
 *
 * <p>The chain, outermost first (after the runner's own {@code setsid}); each part execs the next, so only the
 * task's own processes remain:
 * <pre>
 * sh -c 'echo $$ > .../cgroup.procs ...'   enter the attempt's cgroups before anything else runs
 * prlimit --fsize --nofile [--cpu] [--nproc] --core=0
 * setpriv --reuid --regid --clear-groups --no-new-privs     (agent is root: never run a task as root)
 * bwrap --unshare-all [--share-net] --die-with-parent --ro-bind / / ... --bind WORK WORK --chdir WORK
 * argv...
 * </pre>
 * The cgroup is entered first because only root may write {@code cgroup.procs} (before setpriv drops it) and so
 * that every later process, bwrap's included, is counted and killed with the attempt.
 */
public final class SandboxPlanner {

    /** Open files per attempt; enough for ordinary programs, a cap on descriptor leaks. */
    static final int OPEN_FILES = 4096;
    /** Seconds between the soft CPU limit (SIGXCPU, catchable) and the hard one (SIGKILL). */
    static final int CPU_HARD_GRACE_SECONDS = 5;
    /** Directories hidden from bubblewrapped tasks when present, besides the agent's own. */
    public static final List<Path> PRIVATE_DIRS = List.of(Path.of("/home"), Path.of("/root"), Path.of("/run/user"),
            Path.of("/var/tmp"));

    private static final Path TMP = Path.of("/tmp");

    private SandboxPlanner() {
    }

    /**
     * @param procsFiles where the attempt's first process writes its pid (empty: no cgroup)
     * @throws SandboxRefusal when the attempt needs what this node cannot give (no network without bwrap)
     */
    public static LaunchPlan plan(SandboxLayers layers, AttemptLimits attempt, List<Path> procsFiles)
            throws SandboxRefusal {
        if (attempt.network() == NetworkAccess.NONE && layers.bwrap().isEmpty()) {
            throw new SandboxRefusal("this node cannot run tasks without network (no working bubblewrap)");
        }
        List<String> prefix = new ArrayList<>();
        Set<Protection> enforced = EnumSet.noneOf(Protection.class);

        if (!procsFiles.isEmpty()) {
            prefix.addAll(List.of("/bin/sh", "-c", joinScript(procsFiles), "mesh-cgroup"));
            enforced.addAll(layers.cgroupLimits());
        }

        long cpuSeconds = 0;
        long fileSize = 0;
        if (layers.prlimit().isPresent()) {
            fileSize = attempt.resources().diskBytes();
            prefix.add(layers.prlimit().get().toString());
            prefix.add("--fsize=" + fileSize);
            prefix.add("--nofile=" + OPEN_FILES);
            prefix.add("--core=0");
            enforced.add(Protection.DISK_LIMIT);
            // With a CPU share enforced by the cgroup, CPU seconds would only cut long tasks short.
            boolean cpuShare = !procsFiles.isEmpty() && layers.cgroupLimits().contains(Protection.CPU_LIMIT);
            long timeoutMillis = attempt.timeout().toMillis();
            if (!cpuShare && timeoutMillis > 0) {
                cpuSeconds = Math.max(1, (long) Math.ceil(attempt.resources().cpus() * timeoutMillis / 1000.0));
                prefix.add("--cpu=" + cpuSeconds + ":" + (cpuSeconds + CPU_HARD_GRACE_SECONDS));
                enforced.add(Protection.CPU_TIME_LIMIT);
            }
            boolean pidsCgroup = !procsFiles.isEmpty() && layers.cgroupLimits().contains(Protection.PROCESS_LIMIT);
            if (!pidsCgroup && layers.user().isPresent()) {
                prefix.add("--nproc=" + attempt.resources().processes());
                enforced.add(Protection.PROCESS_LIMIT);
            }
            prefix.add("--");
        }

        Optional<TaskUser> user = layers.user();
        if (user.isPresent()) {
            TaskUser u = user.get();
            prefix.addAll(List.of(u.setpriv().toString(), "--reuid=" + u.uid(), "--regid=" + u.gid(),
                    "--clear-groups", "--no-new-privs", "--"));
            enforced.add(Protection.SEPARATE_USER);
        }

        if (layers.bwrap().isPresent()) {
            Path work = attempt.workDir();
            prefix.add(layers.bwrap().get().toString());
            prefix.add("--unshare-all");
            if (attempt.network() == NetworkAccess.ALLOWED) {
                prefix.add("--share-net");
            } else {
                enforced.add(Protection.NO_NETWORK);
            }
            prefix.addAll(List.of("--die-with-parent", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                    "--tmpfs", "/tmp"));
            for (Path hidden : layers.hidden()) {
                if (!hidden.startsWith(TMP)) { // the fresh /tmp hides those already
                    prefix.addAll(List.of("--tmpfs", hidden.toString()));
                }
            }
            prefix.addAll(List.of("--bind", work.toString(), work.toString(), "--chdir", work.toString(), "--"));
            enforced.add(Protection.PID_ISOLATION);
            enforced.add(Protection.FILESYSTEM_ISOLATION);
        }
        return new LaunchPlan(prefix, enforced, cpuSeconds, fileSize);
    }

    /** {@code echo $$ > 'a' && echo $$ > 'b' && exec "$@"}: the shell writes its own pid, then becomes the rest. */
    static String joinScript(List<Path> procsFiles) {
        StringBuilder script = new StringBuilder();
        for (Path file : procsFiles) {
            String name = file.toString();
            if (name.indexOf('\'') >= 0 || name.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("unsafe cgroup path: " + name);
            }
            script.append("echo $$ > '").append(name).append("' && ");
        }
        return script.append("exec \"$@\"").toString();
    }
}
