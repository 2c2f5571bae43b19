package org.planetarymesh.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
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
 * bwrap --unshare-... --die-with-parent --ro-bind / / ... --bind WORK WORK --chdir WORK --
 * setpriv --reuid --regid --clear-groups --no-new-privs --     (agent is root: never run a task as root)
 * argv...
 * </pre>
 * The cgroup is entered first because only root may write {@code cgroup.procs} (before setpriv drops it) and so
 * that every later process, bwrap's included, is counted and killed with the attempt. setpriv comes last, inside
 * the namespaces: bwrap run by root needs no user namespace and can bind a work directory the task user could not
 * even reach (e.g. under {@code /root}); the task only starts once every mount is in place and root is dropped.
 * Without root, bwrap makes a user namespace itself ({@code --unshare-all}).
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

        prefix.addAll(isolation(layers, attempt.workDir(), attempt.network()));
        if (layers.bwrap().isPresent()) {
            enforced.add(Protection.PID_ISOLATION);
            enforced.add(Protection.FILESYSTEM_ISOLATION);
            if (attempt.network() == NetworkAccess.NONE) {
                enforced.add(Protection.NO_NETWORK);
            }
        }
        if (layers.user().isPresent()) {
            enforced.add(Protection.SEPARATE_USER);
        }
        return new LaunchPlan(prefix, enforced, cpuSeconds, fileSize);
    }

    /**
     * The bwrap and setpriv part of the chain, also what the probe runs to prove they work here: namespaces around
     * {@code workDir}, then the switch to the task user.
     */
    static List<String> isolation(SandboxLayers layers, Path work, NetworkAccess network) {
        List<String> chain = new ArrayList<>();
        if (layers.bwrap().isPresent()) {
            chain.add(layers.bwrap().get().toString());
            if (layers.user().isPresent()) {
                // Run by root: no user namespace (the task user would not be mapped in it); setpriv drops root.
                chain.addAll(List.of("--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-cgroup-try"));
                if (network == NetworkAccess.NONE) {
                    chain.add("--unshare-net");
                }
            } else {
                chain.add("--unshare-all");
                if (network == NetworkAccess.ALLOWED) {
                    chain.add("--share-net");
                }
            }
            chain.addAll(List.of("--die-with-parent", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                    "--perms", "1777", "--tmpfs", "/tmp"));
            for (Path hidden : layers.hidden()) {
                if (!hidden.startsWith(TMP)) { // the fresh /tmp hides those already
                    chain.addAll(List.of("--tmpfs", hidden.toString()));
                }
            }
            chain.addAll(List.of("--bind", work.toString(), work.toString(), "--chdir", work.toString(), "--"));
        }
        layers.user().ifPresent(u -> chain.addAll(List.of(u.setpriv().toString(), "--reuid=" + u.uid(),
                "--regid=" + u.gid(), "--clear-groups", "--no-new-privs", "--")));
        return chain;
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
