package org.planetarymesh.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CgroupMountsTest {

    @Test
    void when_v1ControllersAreMountedApartAndTogether_then_eachMapsToTheProcesssOwnGroup() {
        String mountinfo = """
                32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
                35 31 0:32 / /sys/fs/cgroup/memory rw,relatime shared:5 - cgroup cgroup rw,memory
                39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
                41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
                """;
        String self = """
                8:pids:/
                4:memory:/process_api/abc
                2:cpu,cpuacct:/user.slice
                0::/
                """;

        CgroupMounts mounts = CgroupMounts.parse(mountinfo, self);

        assertThat(mounts.v1()).containsEntry("memory", Path.of("/sys/fs/cgroup/memory/process_api/abc"))
                .containsEntry("pids", Path.of("/sys/fs/cgroup/pids"))
                .containsEntry("cpu", Path.of("/sys/fs/cgroup/cpu,cpuacct/user.slice"))
                .containsEntry("cpuacct", Path.of("/sys/fs/cgroup/cpu,cpuacct/user.slice"))
                .doesNotContainKey("freezer");
        assertThat(mounts.v2()).contains(Path.of("/sys/fs/cgroup/unified"));
    }

    @Test
    void when_aContainerSeesOnlyItsSubtree_then_theMountRootIsTakenOffTheOwnPath() {
        String mountinfo = "50 40 0:30 /docker/abc /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n";
        String self = "0::/docker/abc/agent\n";

        CgroupMounts mounts = CgroupMounts.parse(mountinfo, self);

        assertThat(mounts.v2()).contains(Path.of("/sys/fs/cgroup/agent"));
        assertThat(mounts.v1()).isEmpty();
    }

    @Test
    void when_noCgroupIsMounted_then_thereIsNothingToUse() {
        CgroupMounts mounts = CgroupMounts.parse("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n", "0::/\n");

        assertThat(mounts.v1()).isEmpty();
        assertThat(mounts.v2()).isEmpty();
    }
}
