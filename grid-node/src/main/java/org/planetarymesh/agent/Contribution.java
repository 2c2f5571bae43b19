package org.planetarymesh.agent;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.planetarymesh.owner.OwnerPolicy;

/**
 * What a contributor lends the mesh from this machine, as given on the command line; what is not given gets a
 * default from the host ({@link #resolve}).
 *
 * @param maxCpus    CPU cores tasks may use together ({@code --max-cpus}); default: every core
 * @param maxMemory  memory tasks may use together ({@code --max-memory}); default: 3/4 of physical memory
 * @param maxDisk    work-directory space tasks may use together ({@code --max-disk}); default: half the free space
 *                   of the work directory's file system at start
 * @param taskUser   the unprivileged user tasks run as when the agent is root ({@code --task-user}); default nobody
 * @param owner      the owner policy ({@code --when-idle} and its thresholds; pause/resume always work)
 */
public record Contribution(OptionalDouble maxCpus, OptionalLong maxMemory, OptionalLong maxDisk,
                           Optional<String> taskUser, OwnerPolicy.Settings owner) {

    /** Nothing capped beyond the defaults; work taken whatever the owner does, until they pause the node. */
    public static Contribution defaults() {
        return new Contribution(OptionalDouble.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.empty(),
                OwnerPolicy.Settings.defaults(false));
    }

    /** The same contribution under another owner policy. */
    public Contribution withOwner(OwnerPolicy.Settings settings) {
        return new Contribution(maxCpus, maxMemory, maxDisk, taskUser, settings);
    }

    /** The caps in force, given the host. */
    public record Caps(double cpus, long memoryBytes, long diskBytes) {
    }

    /**
     * The caps in force: the contributor's, never more than the host has (a cap above it is lowered, and says so
     * through {@code warnings}).
     */
    public Caps resolve(int hostCores, long hostMemoryBytes, long freeDiskBytes, java.util.List<String> warnings) {
        double cpus = maxCpus.orElse(hostCores);
        if (cpus > hostCores) {
            warnings.add("--max-cpus " + cpus + " is more than the " + hostCores + " cores here: using " + hostCores);
            cpus = hostCores;
        }
        long memory = maxMemory.orElse(hostMemoryBytes / 4 * 3);
        if (memory > hostMemoryBytes) {
            warnings.add("--max-memory is more than the host's memory: using " + hostMemoryBytes + " bytes");
            memory = hostMemoryBytes;
        }
        long disk = maxDisk.orElse(freeDiskBytes / 2);
        if (disk > freeDiskBytes) {
            warnings.add("--max-disk is more than the " + freeDiskBytes + " bytes free in the work directory: using"
                    + " what is free");
            disk = freeDiskBytes;
        }
        return new Caps(cpus, memory, disk);
    }
}
