package org.planetarymesh.sandbox;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where this process's cgroups are, read from {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}. Pure
 * parsing: the texts are passed in.
 *
 * @param v1 per v1 controller, the directory of this process's own cgroup in that hierarchy
 * @param v2 the directory of this process's own cgroup in the unified (v2) hierarchy, when mounted
 */
record CgroupMounts(Map<String, Path> v1, Optional<Path> v2) {

    static CgroupMounts parse(String mountinfo, String selfCgroup) {
        Map<String, String> ownV1 = new HashMap<>();
        String ownV2 = null;
        for (String line : selfCgroup.split("\n")) {
            String[] parts = line.split(":", 3);
            if (parts.length < 3) {
                continue;
            }
            if (parts[0].equals("0") && parts[1].isEmpty()) {
                ownV2 = parts[2];
            } else {
                for (String controller : parts[1].split(",")) {
                    ownV1.put(controller, parts[2]);
                }
            }
        }
        Map<String, Path> v1 = new HashMap<>();
        Path v2 = null;
        for (String line : mountinfo.split("\n")) {
            // id parent major:minor root mount-point options [optional fields...] - fstype source super-options
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] before = line.substring(0, dash).split(" ");
            String[] after = line.substring(dash + 3).split(" ");
            if (before.length < 5 || after.length < 3) {
                continue;
            }
            String root = unescape(before[3]);
            Path mountPoint = Path.of(unescape(before[4]));
            if (after[0].equals("cgroup2") && ownV2 != null && v2 == null) {
                v2 = inside(mountPoint, root, ownV2).orElse(null);
            } else if (after[0].equals("cgroup")) {
                for (String option : after[2].split(",")) {
                    String own = ownV1.get(option);
                    if (own != null) {
                        inside(mountPoint, root, own).ifPresent(dir -> v1.putIfAbsent(option, dir));
                    }
                }
            }
        }
        return new CgroupMounts(Map.copyOf(v1), Optional.ofNullable(v2));
    }

    /** The own cgroup's directory under a mount of {@code root}; empty when the mount does not show it. */
    private static Optional<Path> inside(Path mountPoint, String root, String own) {
        if (root.equals("/")) {
            return Optional.of(Path.of(mountPoint + own).normalize());
        }
        if (own.equals(root) || own.startsWith(root + "/")) {
            return Optional.of(Path.of(mountPoint + own.substring(root.length())).normalize());
        }
        return Optional.empty();
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /** The v1 controllers a sandbox uses, in the order the report lists them. */
    static final List<String> V1_CONTROLLERS = List.of("memory", "cpu", "cpuacct", "pids", "freezer");
}
