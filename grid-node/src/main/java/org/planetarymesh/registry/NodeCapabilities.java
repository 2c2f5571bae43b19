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
}
