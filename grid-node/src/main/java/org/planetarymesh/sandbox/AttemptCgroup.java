package org.planetarymesh.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The cgroup of one attempt: its limits are set before the task starts, and it dies with the attempt. */
public interface AttemptCgroup extends AutoCloseable {

    /** The files the task's first process writes its pid into (one per hierarchy), so it starts inside. */
    List<Path> procsFiles();

    /** The processes in the cgroup now. */
    Set<Long> pids();

    /** CPU time the attempt's processes used, in milliseconds; -1 when unknown. */
    long cpuMillis();

    /** The most memory the attempt held at once; -1 when unknown. */
    long peakMemoryBytes();

    /** True when the kernel killed a process of the attempt at its memory limit. */
    boolean memoryLimitHit();

    /** True when a fork of the attempt was refused at its process limit. */
    boolean processLimitHit();

    /** Stops (true) or resumes (false) every process of the attempt at once; false when this cgroup cannot freeze. */
    boolean freeze(boolean frozen);

    /** SIGKILLs every process in the cgroup, frozen first so that none can fork past the kill. */
    void killAll();

    /** Removes the cgroup once its processes are gone; logs and leaves it otherwise. */
    @Override
    void close();
}
