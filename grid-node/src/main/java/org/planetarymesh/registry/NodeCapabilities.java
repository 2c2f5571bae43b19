package org.planetarymesh.registry;

import java.lang.management.ManagementFactory;

/** What this host offers, detected once at start. */
public record NodeCapabilities(int cores, long memoryBytes, String os, String arch, String javaVersion) {

    public static NodeCapabilities detect() {
        long memory = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        return new NodeCapabilities(Runtime.getRuntime().availableProcessors(), memory,
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    /**
     * The host's load now, for heartbeats.
     *
     * @param loadPerCore     one-minute load average divided by the cores; negative where the OS has none
     * @param freeMemoryBytes free physical memory; 0 if unknown
     */
    public record HostLoad(double loadPerCore, long freeMemoryBytes) {
        public static HostLoad sample() {
            var os = ManagementFactory.getOperatingSystemMXBean();
            double average = os.getSystemLoadAverage();
            long free = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getFreeMemorySize() : 0;
            return new HostLoad(average < 0 ? -1 : average / os.getAvailableProcessors(), free);
        }
    }
}
