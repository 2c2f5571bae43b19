package org.planetarymesh.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.planetarymesh.submitter.Protection;
import org.planetarymesh.submitter.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attempt cgroups on cgroup v1: one directory per attempt in each of the memory, cpu, cpuacct, pids and freezer
 * hierarchies that are mounted and writable, below {@code <own cgroup>/planetary-mesh-<node>} (nested in the agent's
 * own group, so whatever limits the agent itself lives under also bound its tasks).
 */
final class CgroupV1 implements CgroupDriver {
    private static final Logger LOG = LoggerFactory.getLogger(CgroupV1.class);
    static final long CFS_PERIOD_MICROS = 100_000;
    private static final long MIN_QUOTA_MICROS = 1_000;

    /** Controller name to the node's parent directory in that hierarchy (co-mounted controllers share one). */
    private final Map<String, Path> parents;

    private CgroupV1(Map<String, Path> parents) {
        this.parents = Map.copyOf(parents);
    }

    /**
     * The driver for the hierarchies where a node parent can be made; throws with the reason when there is none
     * that limits anything (no memory, cpu nor pids controller writable).
     */
    static CgroupV1 open(CgroupMounts mounts, String parentName) throws IOException {
        Map<String, Path> parents = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        for (String controller : CgroupMounts.V1_CONTROLLERS) {
            Path own = mounts.v1().get(controller);
            if (own == null) {
                continue;
            }
            Path parent = own.resolve(parentName);
            try {
                Files.createDirectories(parent);
                if (!Files.isWritable(parent.resolve("cgroup.procs"))) {
                    throw new IOException("cgroup.procs not writable");
                }
                parents.put(controller, parent);
            } catch (IOException e) {
                refused.add(controller + ": " + e.getMessage());
            }
        }
        if (!parents.containsKey("memory") && !parents.containsKey("cpu") && !parents.containsKey("pids")) {
            throw new IOException(mounts.v1().isEmpty() ? "no cgroup v1 controller mounted"
                    : "no cgroup v1 memory, cpu or pids controller is writable " + refused);
        }
        return new CgroupV1(parents);
    }

    @Override
    public String describe() {
        Path any = parents.values().iterator().next();
        return "cgroup v1 (" + String.join(", ", parents.keySet()) + ") under " + any.getParent().getParent()
                + "/.../" + any.getFileName();
    }

    @Override
    public Set<Protection> protections() {
        return CgroupDriver.protectionsOf(parents.keySet());
    }

    @Override
    public boolean canFreeze() {
        return parents.containsKey("freezer");
    }

    @Override
    public void capNode(double cpus, long memoryBytes) throws IOException {
        Path memory = parents.get("memory");
        if (memory != null && memoryBytes > 0) {
            CgroupFiles.write(memory.resolve("memory.limit_in_bytes"), Long.toString(memoryBytes));
        }
        Path cpu = parents.get("cpu");
        if (cpu != null && cpus > 0) {
            CgroupFiles.write(cpu.resolve("cpu.cfs_period_us"), Long.toString(CFS_PERIOD_MICROS));
            CgroupFiles.write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(quota(cpus)));
        }
    }

    @Override
    public AttemptCgroup create(String name, Resources resources) throws IOException {
        Map<String, Path> dirs = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Path> parent : parents.entrySet()) {
                Path dir = parent.getValue().resolve(name);
                if (!dirs.containsValue(dir)) {
                    Files.createDirectory(dir);
                }
                dirs.put(parent.getKey(), dir);
            }
            Path memory = dirs.get("memory");
            if (memory != null) {
                String bytes = Long.toString(resources.memoryBytes());
                CgroupFiles.write(memory.resolve("memory.limit_in_bytes"), bytes);
                // With swap, a memory bomb would page out instead of meeting its limit: cap memory+swap too.
                Path memsw = memory.resolve("memory.memsw.limit_in_bytes");
                if (Files.exists(memsw)) {
                    CgroupFiles.write(memsw, bytes);
                }
            }
            Path cpu = dirs.get("cpu");
            if (cpu != null) {
                CgroupFiles.write(cpu.resolve("cpu.cfs_period_us"), Long.toString(CFS_PERIOD_MICROS));
                CgroupFiles.write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(quota(resources.cpus())));
            }
            Path pids = dirs.get("pids");
            if (pids != null) {
                CgroupFiles.write(pids.resolve("pids.max"), Integer.toString(resources.processes()));
            }
        } catch (IOException | RuntimeException e) {
            new Attempt(dirs).close();
            throw e;
        }
        return new Attempt(dirs);
    }

    @Override
    public int removeLeftovers() {
        return new LinkedHashSet<>(parents.values()).stream().mapToInt(CgroupFiles::removeEmptyChildren).sum();
    }

    @Override
    public long totalCpuNanos() {
        Path cpuacct = parents.get("cpuacct");
        return cpuacct == null ? -1 : CgroupFiles.readLong(cpuacct.resolve("cpuacct.usage"));
    }

    @Override
    public void close() {
        removeLeftovers();
        new LinkedHashSet<>(parents.values()).forEach(parent -> CgroupFiles.remove(parent, 1_000));
    }

    static long quota(double cpus) {
        return Math.max(MIN_QUOTA_MICROS, Math.round(cpus * CFS_PERIOD_MICROS));
    }

    private static final class Attempt implements AttemptCgroup {
        private final Map<String, Path> dirs;

        Attempt(Map<String, Path> dirs) {
            this.dirs = dirs;
        }

        @Override
        public List<Path> procsFiles() {
            return new LinkedHashSet<>(dirs.values()).stream().map(d -> d.resolve("cgroup.procs")).toList();
        }

        @Override
        public Set<Long> pids() {
            Set<Long> pids = new LinkedHashSet<>();
            for (Path file : procsFiles()) {
                pids.addAll(CgroupFiles.pids(file));
            }
            return pids;
        }

        @Override
        public long cpuMillis() {
            Path cpuacct = dirs.get("cpuacct");
            long nanos = cpuacct == null ? -1 : CgroupFiles.readLong(cpuacct.resolve("cpuacct.usage"));
            return nanos < 0 ? -1 : nanos / 1_000_000;
        }

        @Override
        public long peakMemoryBytes() {
            Path memory = dirs.get("memory");
            return memory == null ? -1 : CgroupFiles.readLong(memory.resolve("memory.max_usage_in_bytes"));
        }

        @Override
        public boolean memoryLimitHit() {
            Path memory = dirs.get("memory");
            return memory != null && CgroupFiles.keyed(memory.resolve("memory.oom_control"), "oom_kill") > 0;
        }

        @Override
        public boolean processLimitHit() {
            Path pids = dirs.get("pids");
            return pids != null && CgroupFiles.keyed(pids.resolve("pids.events"), "max") > 0;
        }

        @Override
        public boolean freeze(boolean frozen) {
            Path freezer = dirs.get("freezer");
            if (freezer == null) {
                return false;
            }
            try {
                CgroupFiles.write(freezer.resolve("freezer.state"), frozen ? "FROZEN" : "THAWED");
                return true;
            } catch (IOException e) {
                LOG.warn("cannot {} cgroup dir={} reason={}", frozen ? "freeze" : "thaw", freezer, e.toString());
                return false;
            }
        }

        @Override
        public void killAll() {
            for (int round = 0; round < 3 && !pids().isEmpty(); round++) {
                boolean frozen = freeze(true);
                CgroupFiles.killEach(pids());
                if (frozen) {
                    freeze(false); // a SIGKILL to a frozen task waits for the thaw
                }
                if (procsFiles().stream().allMatch(f -> CgroupFiles.awaitEmpty(f, 2_000))) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            for (Path dir : new LinkedHashSet<>(dirs.values())) {
                if (!CgroupFiles.remove(dir, 2_000)) {
                    LOG.warn("cannot remove cgroup dir={} pids={}", dir, CgroupFiles.pids(dir.resolve("cgroup.procs")));
                }
            }
        }
    }
}
