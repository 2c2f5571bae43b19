package org.planetarymesh.owner;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Samples the owner's load once per call, over the time since the previous call: from {@code /proc/stat} on
 * Linux, else from what the JVM's {@link OperatingSystemMXBean} reports (the recent system CPU load, or the
 * one-minute load average per core), less the mesh's share either way. Not thread-safe: one caller, the watch.
 */
public final class OwnerLoadMeter implements DoubleSupplier {
    private final LongSupplier meshCpuNanos;
    private final LongSupplier nanoTime;
    private final boolean procStat;
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private OwnerLoad.Sample last;
    private long lastMesh;
    private long lastAt;

    /**
     * @param meshCpuNanos CPU time used so far by the agent and its tasks, a running total (see
     *                     {@link OwnerLoad.Sample#meshCpuNanos()})
     */
    public OwnerLoadMeter(LongSupplier meshCpuNanos) {
        this(meshCpuNanos, System::nanoTime, ProcStat.read().isPresent());
    }

    OwnerLoadMeter(LongSupplier meshCpuNanos, LongSupplier nanoTime, boolean procStat) {
        this.meshCpuNanos = meshCpuNanos;
        this.nanoTime = nanoTime;
        this.procStat = procStat;
        lastMesh = meshCpuNanos.getAsLong();
        lastAt = nanoTime.getAsLong();
        last = sample().orElse(null);
    }

    /** Where the figure comes from, for the agent's start-up log line: the fallback says it is one. */
    public String source() {
        return procStat ? "/proc/stat less the mesh's CPU time"
                : "the OS CPU load from the JVM (no /proc/stat here), less the mesh's CPU time";
    }

    /** The owner's load per core since the previous call; {@code NaN} if it could not be read. */
    @Override
    public double getAsDouble() {
        if (procStat) {
            Optional<OwnerLoad.Sample> now = sample();
            double load = now.isPresent() && last != null ? OwnerLoad.perCore(last, now.get()) : Double.NaN;
            now.ifPresent(s -> last = s);
            return load;
        }
        long mesh = meshCpuNanos.getAsLong();
        long at = nanoTime.getAsLong();
        double load = OwnerLoad.perCore(systemLoadPerCore(), mesh - lastMesh, at - lastAt, os.getAvailableProcessors());
        lastMesh = mesh;
        lastAt = at;
        return load;
    }

    private Optional<OwnerLoad.Sample> sample() {
        if (!procStat) {
            return Optional.empty();
        }
        long at = nanoTime.getAsLong();
        return ProcStat.read().map(cpu -> new OwnerLoad.Sample(cpu, meshCpuNanos.getAsLong(), at));
    }

    private double systemLoadPerCore() {
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
            double cpuLoad = hotspot.getCpuLoad(); // 0..1 over all CPUs; negative where unavailable
            if (cpuLoad >= 0) {
                return cpuLoad;
            }
        }
        double average = os.getSystemLoadAverage(); // negative where unavailable (Windows)
        return average < 0 ? -1 : average / os.getAvailableProcessors();
    }
}
