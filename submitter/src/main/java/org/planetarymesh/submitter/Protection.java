package org.planetarymesh.submitter;

import java.util.Arrays;
import java.util.Optional;

/**
 * A protection a node's sandbox gives every task, as detected at the agent's start ({@code bin/mesh agent
 * --check-sandbox} prints them). Nodes advertise theirs; a job's {@code requires: [memory-limit, no-network]}
 * places its tasks only on nodes that have all of them.
 */
public enum Protection {
    /** The attempt's whole process tree is killed at its memory limit (cgroup). */
    MEMORY_LIMIT("memory-limit"),
    /** The attempt gets at most its CPU share (cgroup CFS quota). */
    CPU_LIMIT("cpu-limit"),
    /** The attempt's CPU seconds are capped (rlimit), where no CPU share can be enforced. */
    CPU_TIME_LIMIT("cpu-time-limit"),
    /** The attempt's processes are capped (cgroup pids, or the rlimit per user). */
    PROCESS_LIMIT("process-limit"),
    /** The attempt's writes are capped: largest file (rlimit) and work-directory size (checked). */
    DISK_LIMIT("disk-limit"),
    /** The attempt has no network: its own network namespace with only loopback. */
    NO_NETWORK("no-network"),
    /** The attempt sees the host read-only and only its own work directory writable; agent files hidden. */
    FILESYSTEM_ISOLATION("filesystem-isolation"),
    /** The attempt sees only its own processes (pid namespace). */
    PID_ISOLATION("pid-isolation"),
    /** The attempt runs as an unprivileged user other than the agent's. */
    SEPARATE_USER("separate-user");

    private final String wireName;

    Protection(String wireName) {
        this.wireName = wireName;
    }

    /** The name in job specs, node listings and {@code --check-sandbox}, e.g. {@code memory-limit}. */
    public String wireName() {
        return wireName;
    }

    /** The protection of a spec name, case-insensitive. */
    public static Optional<Protection> ofWireName(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equalsIgnoreCase(name)).findFirst();
    }
}
