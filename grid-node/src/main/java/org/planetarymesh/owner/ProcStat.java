package org.planetarymesh.owner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the host's CPU times from Linux's {@code /proc/stat}; elsewhere (or when it cannot be read) there is none,
 * and the caller falls back to what the JVM knows of the system load.
 */
public final class ProcStat {
    private static final Path PROC_STAT = Path.of("/proc/stat");

    private ProcStat() {
    }

    /**
     * The CPU times of all CPUs together since boot, in clock ticks.
     *
     * @param totalJiffies every tick of every CPU
     * @param idleJiffies  the ticks no one used: idle, waiting for I/O, and stolen by a hypervisor (none of them
     *                     is the owner working)
     * @param cpus         the CPUs counted ({@code cpuN} lines)
     */
    public record CpuTimes(long totalJiffies, long idleJiffies, int cpus) {
    }

    /** {@code /proc/stat} now; empty if this is not Linux or the file cannot be read or understood. */
    public static Optional<CpuTimes> read() {
        return read(PROC_STAT);
    }

    static Optional<CpuTimes> read(Path file) {
        try {
            return Files.isReadable(file) ? parse(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The aggregate {@code cpu} line: {@code user nice system idle iowait irq softirq steal [guest guest_nice]}.
     * Guest time is already inside user and nice, so it is not added again. Kernels before 2.6.11 have fewer
     * fields; the missing ones count as zero.
     */
    public static Optional<CpuTimes> parse(String procStat) {
        long[] fields = null;
        int cpus = 0;
        for (String line : procStat.split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equals("cpu")) {
                fields = new long[8];
                for (int i = 0; i < fields.length && i + 1 < words.length; i++) {
                    try {
                        fields[i] = Long.parseLong(words[i + 1]);
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
                }
            } else if (words[0].matches("cpu\\d+")) {
                cpus++;
            }
        }
        if (fields == null || cpus == 0) {
            return Optional.empty();
        }
        long total = 0;
        for (long field : fields) {
            total += field;
        }
        long idle = fields[3] + fields[4] + fields[7];
        return Optional.of(new CpuTimes(total, idle, cpus));
    }
}
