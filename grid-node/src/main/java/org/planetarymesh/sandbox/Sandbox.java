package org.planetarymesh.sandbox;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.planetarymesh.submitter.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox of one node: its layers (from {@link SandboxProbe}), its cgroup driver, and the work of preparing
 * each attempt — make its cgroup, hand its directory to the task user, plan its command line.
 */
public final class Sandbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

    private final SandboxLayers layers;
    private final Optional<CgroupDriver> cgroups;
    private final SandboxReport report;

    Sandbox(SandboxLayers layers, Optional<CgroupDriver> cgroups, SandboxReport report) {
        this.layers = layers;
        this.cgroups = layers.cgroupLimits().isEmpty() ? Optional.empty() : cgroups;
        this.report = report;
    }

    /** A bare process per task: no limits but the runner's own (timeouts, tree kill, output caps). */
    public static Sandbox none() {
        return new Sandbox(SandboxLayers.none(), Optional.empty(),
                new SandboxReport(List.of("none"), java.util.Set.of(), java.util.Map.of()));
    }

    /** The strongest sandbox this host allows, as {@code settings} permit. */
    public static Sandbox detect(SandboxSettings settings) {
        return SandboxProbe.detect(settings);
    }

    public SandboxLayers layers() {
        return layers;
    }

    public SandboxReport report() {
        return report;
    }

    public Optional<CgroupDriver> cgroups() {
        return cgroups;
    }

    /** The same sandbox with other layers (the benchmark compares them; tests turn parts off). */
    public Sandbox with(SandboxLayers other) {
        return new Sandbox(other, cgroups, report);
    }

    /** One attempt, ready to start: the plan, and the cgroup to close when the attempt is over. */
    public record Prepared(LaunchPlan plan, Optional<AttemptCgroup> cgroup) {
    }

    /**
     * Makes the attempt's cgroup, gives its directory to the task user, and plans its command line.
     *
     * @throws SandboxRefusal when this node cannot run it as asked
     */
    public Prepared prepare(AttemptLimits attempt) throws IOException, SandboxRefusal {
        Optional<AttemptCgroup> cgroup = Optional.empty();
        if (cgroups.isPresent()) {
            cgroup = Optional.of(cgroups.get().create(attempt.cgroupName(), attempt.resources()));
        }
        try {
            LaunchPlan plan = SandboxPlanner.plan(layers, attempt,
                    cgroup.map(AttemptCgroup::procsFiles).orElse(List.of()));
            if (layers.user().isPresent()) {
                chown(attempt.workDir(), layers.user().get());
            }
            return new Prepared(plan, cgroup);
        } catch (IOException | SandboxRefusal | RuntimeException e) {
            cgroup.ifPresent(AttemptCgroup::close);
            throw e;
        }
    }

    /** Caps what all tasks of this node use together, where cgroups allow. */
    public void capNode(double cpus, long memoryBytes) {
        cgroups.ifPresent(driver -> {
            try {
                driver.capNode(cpus, memoryBytes);
            } catch (IOException e) {
                LOG.warn("cannot cap the node's cgroup cpus={} memory={} reason={}", cpus, memoryBytes, e.toString());
            }
        });
    }

    /** Removes what an earlier run left (empty attempt cgroups). */
    public void cleanUpEarlierRun() {
        cgroups.ifPresent(driver -> {
            int removed = driver.removeLeftovers();
            if (removed > 0) {
                LOG.info("removed {} attempt cgroups of an earlier run", removed);
            }
        });
    }

    /** Removes the node's cgroups; call after the runner closed (every attempt is over). */
    @Override
    public void close() {
        cgroups.ifPresent(CgroupDriver::close);
    }

    /** The limits of one attempt. */
    public static AttemptLimits limits(String cgroupName, Path workDir, Resources resources,
                                       org.planetarymesh.submitter.NetworkAccess network, long timeoutMillis) {
        return new AttemptLimits(cgroupName, workDir, resources, network,
                Duration.ofMillis(Math.max(0, timeoutMillis)));
    }

    private static void chown(Path dir, TaskUser user) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                own(d);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                own(file);
                return FileVisitResult.CONTINUE;
            }

            private void own(Path path) throws IOException {
                Files.setAttribute(path, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", user.gid(), LinkOption.NOFOLLOW_LINKS);
            }
        });
    }
}
