package org.planetarymesh.sandbox;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import org.planetarymesh.submitter.Protection;
import org.planetarymesh.submitter.Resources;

/** Makes attempt cgroups under one parent per node, on cgroup v1 or v2. */
public interface CgroupDriver {

    /** For people: e.g. "cgroup v1 (memory, cpu, cpuacct, pids, freezer) under /sys/fs/cgroup/.../planetary-mesh-n1". */
    String describe();

    /** What this driver enforces per attempt: a subset of memory-limit, cpu-limit, process-limit. */
    Set<Protection> protections();

    /** The limits the memory, cpu and pids controllers give, for the controllers in use (both versions' names). */
    static Set<Protection> protectionsOf(Set<String> controllers) {
        Set<Protection> protections = EnumSet.noneOf(Protection.class);
        if (controllers.contains("memory")) {
            protections.add(Protection.MEMORY_LIMIT);
        }
        if (controllers.contains("cpu")) {
            protections.add(Protection.CPU_LIMIT);
        }
        if (controllers.contains("pids")) {
            protections.add(Protection.PROCESS_LIMIT);
        }
        return protections;
    }

    /** True when attempts can be frozen as a whole (freezer), else suspension signals the process tree. */
    boolean canFreeze();

    /** Caps the sum of all attempts of this node: the contributor's {@code --max-cpus} and {@code --max-memory}. */
    void capNode(double cpus, long memoryBytes) throws IOException;

    /** Creates the attempt's cgroup with its limits set. */
    AttemptCgroup create(String name, Resources resources) throws IOException;

    /** Removes empty attempt cgroups an earlier run of this node left behind; returns how many. */
    int removeLeftovers();

    /** CPU time every attempt of this node used so far, ended ones included (the parent's counter); -1 if unknown. */
    long totalCpuNanos();

    /** Removes the node's parent cgroup(s) once every attempt's is gone (the agent stops). */
    void close();
}
