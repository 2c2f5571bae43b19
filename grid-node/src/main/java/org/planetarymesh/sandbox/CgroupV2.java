package org.planetarymesh.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.planetarymesh.submitter.Protection;
import org.planetarymesh.submitter.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attempt cgroups on cgroup v2 (the unified hierarchy): {@code <own cgroup>/planetary-mesh-<node>/<attempt>}, with
 * the memory, cpu and pids controllers enabled down to the attempts. Needs the agent's own cgroup to be delegated
 * to it with those controllers (root, or {@code systemd-run -p Delegate=yes}); v2's "no internal processes" rule
 * means the controllers can only be enabled below a group that holds no processes itself.
 */
final class CgroupV2 implements CgroupDriver {
    private static final Logger LOG = LoggerFactory.getLogger(CgroupV2.class);
    private static final List<String> CONTROLLERS = List.of("memory", "cpu", "pids");

    private final Path parent;
    private final Set<String> controllers;

    private CgroupV2(Path parent, Set<String> controllers) {
        this.parent = parent;
        this.controllers = Set.copyOf(controllers);
    }

    static CgroupV2 open(Path own, String parentName) throws IOException {
        Set<String> available = Set.of(CgroupFiles.read(own.resolve("cgroup.controllers")).orElse("").split(" "));
        List<String> wanted = CONTROLLERS.stream().filter(available::contains).toList();
        if (wanted.isEmpty()) {
            throw new IOException("cgroup v2 at " + own + " offers none of memory, cpu, pids (controllers: "
                    + String.join(" ", available).trim() + ")");
        }
        String enable = String.join(" ", wanted.stream().map(c -> "+" + c).toList());
        try {
            CgroupFiles.write(own.resolve("cgroup.subtree_control"), enable);
            Path parent = own.resolve(parentName);
            Files.createDirectories(parent);
            CgroupFiles.write(parent.resolve("cgroup.subtree_control"), enable);
            return new CgroupV2(parent, Set.copyOf(wanted));
        } catch (IOException e) {
            throw new IOException("cgroup v2 at " + own + " is not delegated to this agent (" + e.getMessage()
                    + "); start it in a delegated group, e.g. systemd-run --user -p Delegate=yes");
        }
    }

    @Override
    public String describe() {
        return "cgroup v2 (" + String.join(", ", controllers) + ") under " + parent;
    }

    @Override
    public Set<Protection> protections() {
        return CgroupDriver.protectionsOf(controllers);
    }

    @Override
    public boolean canFreeze() {
        return true; // cgroup.freeze exists in every non-root v2 group
    }

    @Override
    public void capNode(double cpus, long memoryBytes) throws IOException {
        if (controllers.contains("memory") && memoryBytes > 0) {
            CgroupFiles.write(parent.resolve("memory.max"), Long.toString(memoryBytes));
        }
        if (controllers.contains("cpu") && cpus > 0) {
            CgroupFiles.write(parent.resolve("cpu.max"), CgroupV1.quota(cpus) + " " + CgroupV1.CFS_PERIOD_MICROS);
        }
    }

    @Override
    public AttemptCgroup create(String name, Resources resources) throws IOException {
        Path dir = parent.resolve(name);
        Files.createDirectory(dir);
        Attempt attempt = new Attempt(dir);
        try {
            if (controllers.contains("memory")) {
                CgroupFiles.write(dir.resolve("memory.max"), Long.toString(resources.memoryBytes()));
                Path swap = dir.resolve("memory.swap.max");
                if (Files.exists(swap)) {
                    CgroupFiles.write(swap, "0");
                }
            }
            if (controllers.contains("cpu")) {
                CgroupFiles.write(dir.resolve("cpu.max"),
                        CgroupV1.quota(resources.cpus()) + " " + CgroupV1.CFS_PERIOD_MICROS);
            }
            if (controllers.contains("pids")) {
                CgroupFiles.write(dir.resolve("pids.max"), Integer.toString(resources.processes()));
            }
        } catch (IOException | RuntimeException e) {
            attempt.close();
            throw e;
        }
        return attempt;
    }

    @Override
    public int removeLeftovers() {
        return CgroupFiles.removeEmptyChildren(parent);
    }

    @Override
    public long totalCpuNanos() {
        long micros = CgroupFiles.keyed(parent.resolve("cpu.stat"), "usage_usec");
        return micros < 0 ? -1 : micros * 1000;
    }

    @Override
    public void close() {
        removeLeftovers();
        CgroupFiles.remove(parent, 1_000);
    }

    private record Attempt(Path dir) implements AttemptCgroup {

        @Override
        public List<Path> procsFiles() {
            return List.of(dir.resolve("cgroup.procs"));
        }

        @Override
        public Set<Long> pids() {
            return CgroupFiles.pids(dir.resolve("cgroup.procs"));
        }

        @Override
        public long cpuMillis() {
            long micros = CgroupFiles.keyed(dir.resolve("cpu.stat"), "usage_usec");
            return micros < 0 ? -1 : micros / 1000;
        }

        @Override
        public long peakMemoryBytes() {
            return CgroupFiles.readLong(dir.resolve("memory.peak")); // kernels >= 5.19
        }

        @Override
        public boolean memoryLimitHit() {
            return CgroupFiles.keyed(dir.resolve("memory.events"), "oom_kill") > 0;
        }

        @Override
        public boolean processLimitHit() {
            return CgroupFiles.keyed(dir.resolve("pids.events"), "max") > 0;
        }

        @Override
        public boolean freeze(boolean frozen) {
            try {
                CgroupFiles.write(dir.resolve("cgroup.freeze"), frozen ? "1" : "0");
                return true;
            } catch (IOException e) {
                LOG.warn("cannot {} cgroup dir={} reason={}", frozen ? "freeze" : "thaw", dir, e.toString());
                return false;
            }
        }

        @Override
        public void killAll() {
            Path kill = dir.resolve("cgroup.kill"); // kernels >= 5.14: atomic, no fork can slip past it
            for (int round = 0; round < 3 && !pids().isEmpty(); round++) {
                boolean atomic = false;
                if (Files.exists(kill)) {
                    try {
                        CgroupFiles.write(kill, "1");
                        atomic = true;
                    } catch (IOException e) {
                        // fall back to freeze and signal
                    }
                }
                if (!atomic) {
                    boolean frozen = freeze(true);
                    CgroupFiles.killEach(pids());
                    if (frozen) {
                        freeze(false);
                    }
                }
                if (CgroupFiles.awaitEmpty(dir.resolve("cgroup.procs"), 2_000)) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            if (!CgroupFiles.remove(dir, 2_000)) {
                LOG.warn("cannot remove cgroup dir={} pids={}", dir, new ArrayList<>(pids()));
            }
        }
    }
}
