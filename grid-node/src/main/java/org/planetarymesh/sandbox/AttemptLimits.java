package org.planetarymesh.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Resources;

/**
 * What the sandbox needs to know about one attempt.
 *
 * @param cgroupName a name unique on this node and safe as a file name (from the attempt id)
 * @param workDir    the attempt's directory: the only place it may write
 * @param resources  what it may use
 * @param network    whether it may use the network
 * @param timeout    its wall-clock limit (zero: none); bounds CPU seconds where no CPU share can be enforced
 */
public record AttemptLimits(String cgroupName, Path workDir, Resources resources, NetworkAccess network,
                            Duration timeout) {
    public AttemptLimits {
        Objects.requireNonNull(cgroupName, "cgroupName");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(timeout, "timeout");
        if (!cgroupName.matches("[A-Za-z0-9._-]{1,200}") || cgroupName.startsWith(".")) {
            throw new IllegalArgumentException("unsafe cgroup name: " + cgroupName);
        }
    }
}
