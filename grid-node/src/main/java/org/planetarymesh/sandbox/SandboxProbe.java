package org.planetarymesh.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Protection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds what this host can do, once at the agent's start: each layer is tried for real (a cgroup made and removed,
 * a bubblewrap sandbox started as the task user), not inferred from files being present.
 */
final class SandboxProbe {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxProbe.class);
    private static final List<String> BIN_DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin");

    private SandboxProbe() {
    }

    static Sandbox detect(SandboxSettings settings) {
        List<String> layers = new ArrayList<>();
        Map<Protection, String> why = new EnumMap<>(Protection.class);
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        if (!linux) {
            layers.add("not Linux: no cgroups, namespaces nor rlimits; tasks get a work dir, a clean environment,"
                    + " timeouts and output caps");
            for (Protection p : Protection.values()) {
                why.put(p, "needs Linux");
            }
            return new Sandbox(SandboxLayers.none(), Optional.empty(), new SandboxReport(layers, Set.of(), why));
        }
        layers.add(binary("setsid").map(p -> "setsid: each task in its own session, killed as a group").orElse(
                "setsid: missing (util-linux); tasks are killed process by process"));
        Optional<Path> prlimit = binary("prlimit");
        layers.add(prlimit.map(p -> "prlimit: file size, open files, CPU seconds, processes per user").orElse(
                "prlimit: missing (util-linux)"));

        boolean root = uid() == 0;
        Optional<TaskUser> user = Optional.empty();
        if (root) {
            user = Optional.of(taskUser(settings));
            layers.add("agent runs as root: tasks run as " + user.get().name() + " (uid " + user.get().uid() + ")");
        } else {
            layers.add("agent runs as uid " + uid() + ": tasks run as the same user");
            why.put(Protection.SEPARATE_USER, "the agent is not root, so tasks run as its own user");
        }

        Optional<CgroupDriver> cgroups = Optional.empty();
        if (settings.cgroups()) {
            cgroups = cgroupDriver(settings.nodeName(), layers, why);
        } else {
            layers.add("cgroups: turned off");
        }

        Optional<Path> bwrap = Optional.empty();
        if (settings.bwrap()) {
            bwrap = bubblewrap(user, layers, why);
        } else {
            layers.add("bubblewrap: turned off");
        }

        if (user.isPresent() && bwrap.isEmpty()) {
            unreachableBy(settings.workRoot()).ifPresent(dir -> layers.add("WARNING: " + dir + " is closed to others:"
                    + " tasks running as " + taskUserName(settings) + " cannot reach their work dirs by absolute path; give"
                    + " --work-dir a place others may traverse (e.g. /var/lib/planetary-mesh), or install bubblewrap"));
        }
        List<Path> hidden = new ArrayList<>(settings.agentDirs());
        hidden.addAll(SandboxPlanner.PRIVATE_DIRS);
        hidden.removeIf(dir -> !Files.isDirectory(dir)); // bwrap can only mount over what exists
        SandboxLayers found = new SandboxLayers(prlimit, user, bwrap,
                cgroups.map(CgroupDriver::protections).orElse(Set.of()), hidden);
        Set<Protection> active = found.protections();
        explain(found, cgroups, why);
        SandboxReport report = new SandboxReport(layers, active, why);
        LOG.info("sandbox detected node={} protections={}", settings.nodeName(),
                active.stream().map(Protection::wireName).sorted().toList());
        return new Sandbox(found, cgroups, report);
    }

    /** The first directory on the way to {@code dir} that others may not traverse (no o+x), if any. */
    static Optional<Path> unreachableBy(Path dir) {
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            try {
                if (Files.exists(p) && !Files.getPosixFilePermissions(p)
                        .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    return Optional.of(p);
                }
            } catch (IOException | UnsupportedOperationException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String taskUserName(SandboxSettings settings) {
        return settings.taskUser().orElse(SandboxSettings.DEFAULT_TASK_USER);
    }

    private static void explain(SandboxLayers layers, Optional<CgroupDriver> cgroups, Map<Protection, String> why) {
        String cg = cgroups.map(CgroupDriver::describe).orElse("");
        Set<Protection> fromCgroup = cgroups.map(CgroupDriver::protections).orElse(Set.of());
        put(why, Protection.MEMORY_LIMIT, fromCgroup.contains(Protection.MEMORY_LIMIT), "per attempt, " + cg,
                "needs a cgroup memory controller (no rlimit limits memory without breaking JVMs)");
        put(why, Protection.CPU_LIMIT, fromCgroup.contains(Protection.CPU_LIMIT), "CFS quota per attempt, " + cg,
                "needs a cgroup cpu controller");
        put(why, Protection.CPU_TIME_LIMIT, layers.prlimit().isPresent(),
                "rlimit: cpus x timeout CPU seconds, where no CPU share is enforced", "needs prlimit");
        boolean pidsByCgroup = fromCgroup.contains(Protection.PROCESS_LIMIT);
        put(why, Protection.PROCESS_LIMIT, layers.protections().contains(Protection.PROCESS_LIMIT),
                pidsByCgroup ? "cgroup pids.max per attempt" : "rlimit per task user (shared by its attempts)",
                "needs a cgroup pids controller, or prlimit with a task user of its own");
        put(why, Protection.DISK_LIMIT, layers.prlimit().isPresent(),
                "largest file (rlimit) and work-dir size checked every second",
                "work-dir size checked every second only (prlimit missing)");
        String bw = layers.bwrap().map(Path::toString).orElse("");
        put(why, Protection.NO_NETWORK, layers.bwrap().isPresent(), "network namespace with loopback only (" + bw + ")",
                why.getOrDefault(Protection.NO_NETWORK, "needs bubblewrap"));
        put(why, Protection.PID_ISOLATION, layers.bwrap().isPresent(), "pid namespace: sees only its own processes",
                why.getOrDefault(Protection.PID_ISOLATION, "needs bubblewrap"));
        put(why, Protection.FILESYSTEM_ISOLATION, layers.bwrap().isPresent(),
                "host read-only, homes and agent files hidden, only its work dir writable",
                why.getOrDefault(Protection.FILESYSTEM_ISOLATION, "needs bubblewrap"));
        layers.user().ifPresent(u -> why.put(Protection.SEPARATE_USER, "runs as " + u.name() + " via setpriv"));
    }

    private static void put(Map<Protection, String> why, Protection p, boolean active, String how, String missing) {
        why.put(p, active ? how : missing);
    }

    private static Optional<CgroupDriver> cgroupDriver(String node, List<String> layers, Map<Protection, String> why) {
        String parentName = "planetary-mesh-" + safe(node);
        CgroupMounts mounts;
        try {
            mounts = CgroupMounts.parse(Files.readString(Path.of("/proc/self/mountinfo")),
                    Files.readString(Path.of("/proc/self/cgroup")));
        } catch (IOException e) {
            layers.add("cgroups: cannot read /proc/self: " + e.getMessage());
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        if (mounts.v2().isPresent()) {
            try {
                CgroupDriver v2 = CgroupV2.open(mounts.v2().get(), parentName);
                if (works(v2, problems)) {
                    layers.add(v2.describe());
                    return Optional.of(v2);
                }
            } catch (IOException e) {
                problems.add(e.getMessage());
            }
        }
        try {
            CgroupDriver v1 = CgroupV1.open(mounts, parentName);
            if (works(v1, problems)) {
                layers.add(v1.describe() + (problems.isEmpty() ? "" : " (v2 not used: " + problems.get(0) + ")"));
                return Optional.of(v1);
            }
        } catch (IOException e) {
            problems.add(e.getMessage());
        }
        layers.add("cgroups: none usable: " + String.join("; ", problems));
        return Optional.empty();
    }

    /** Makes and removes a probe cgroup with limits set: the only proof the driver can do its job. */
    private static boolean works(CgroupDriver driver, List<String> problems) {
        try (AttemptCgroup probe = driver.create("probe-" + ProcessHandle.current().pid(),
                org.planetarymesh.submitter.Resources.DEFAULT)) {
            return probe.procsFiles().stream().allMatch(Files::isWritable);
        } catch (IOException | RuntimeException e) {
            problems.add(driver.describe() + ": " + e.getMessage());
            return false;
        }
    }

    private static Optional<Path> bubblewrap(Optional<TaskUser> user, List<String> layers,
                                             Map<Protection, String> why) {
        Optional<Path> bwrap = binary("bwrap");
        if (bwrap.isEmpty()) {
            layers.add("bubblewrap: not installed (apt-get install bubblewrap) - no network, pid or file isolation");
            return Optional.empty();
        }
        // The very chain tasks will get (both network modes), around a scratch directory.
        String failure;
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("mesh-bwrap-probe");
            SandboxLayers probe = new SandboxLayers(Optional.empty(), user, bwrap, Set.of(), List.of());
            failure = null;
            for (NetworkAccess network : NetworkAccess.values()) {
                List<String> command = new ArrayList<>(SandboxPlanner.isolation(probe, scratch, network));
                command.add("true");
                failure = failure == null ? run(command) : failure;
            }
        } catch (IOException e) {
            failure = "cannot make a scratch directory: " + e.getMessage();
        } finally {
            if (scratch != null) {
                try {
                    Files.deleteIfExists(scratch);
                } catch (IOException e) {
                    // a temp dir left behind
                }
            }
        }
        if (failure != null) {
            String reason = "bubblewrap cannot start a sandbox here: " + failure;
            layers.add(reason);
            for (Protection p : EnumSet.of(Protection.NO_NETWORK, Protection.PID_ISOLATION,
                    Protection.FILESYSTEM_ISOLATION)) {
                why.put(p, reason + " (unprivileged user namespaces disabled?)");
            }
            return Optional.empty();
        }
        layers.add("bubblewrap " + bwrap.get() + ": namespaces for files, pids and network");
        return bwrap;
    }

    /** Runs a probe command, bounded; null when it exited 0, else the first line of its output. */
    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "no answer within 10 s";
            }
            if (process.exitValue() == 0) {
                return null;
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return out.isEmpty() ? "exit code " + process.exitValue() : out.lines().findFirst().orElse(out);
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The task user for a root agent; refuses to go on without one, so that no task ever runs as root. */
    private static TaskUser taskUser(SandboxSettings settings) {
        Optional<Path> setpriv = binary("setpriv");
        if (setpriv.isEmpty()) {
            throw new IllegalStateException("the agent runs as root but setpriv (util-linux) is missing: tasks would"
                    + " run as root; install util-linux or start the agent as an unprivileged user");
        }
        String wanted = settings.taskUser().orElse(SandboxSettings.DEFAULT_TASK_USER);
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length >= 4 && (f[0].equals(wanted) || f[2].equals(wanted))) {
                    return new TaskUser(setpriv.get(), f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to a numeric id
        }
        if (wanted.matches("\\d+")) {
            int id = Integer.parseInt(wanted);
            return new TaskUser(setpriv.get(), wanted, id, id);
        }
        throw new IllegalStateException("task user " + wanted + " not found: give --task-user an existing user or uid");
    }

    static long uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]); // effective uid
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: assume unprivileged
        }
        return -1;
    }

    static Optional<Path> binary(String name) {
        return BIN_DIRS.stream().map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
