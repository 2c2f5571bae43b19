package org.planetarymesh.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Protection;
import org.planetarymesh.submitter.Resources;

class SandboxPlannerTest {

    private static final Path WORK = Path.of("/srv/mesh/work/j-1/0-a1");
    private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");
    private static final Path BWRAP = Path.of("/usr/bin/bwrap");
    private static final TaskUser NOBODY = new TaskUser(Path.of("/usr/bin/setpriv"), "nobody", 65534, 65534);
    private static final List<Path> PROCS = List.of(Path.of("/sys/fs/cgroup/memory/pm/a/cgroup.procs"),
            Path.of("/sys/fs/cgroup/pids/pm/a/cgroup.procs"));
    private static final Set<Protection> CGROUP = EnumSet.of(Protection.MEMORY_LIMIT, Protection.CPU_LIMIT,
            Protection.PROCESS_LIMIT);
    private static final Resources HALF_CORE = new Resources(0.5, 256L << 20, 1L << 30, 64);

    @Test
    void when_everyLayerIsPresent_then_theChainEntersTheCgroupThenLimitsThenDropsRootThenIsolates() throws Exception {
        SandboxLayers all = layers(true, true, true, CGROUP, List.of(Path.of("/home"), Path.of("/srv/mesh")));

        LaunchPlan plan = SandboxPlanner.plan(all, attempt(NetworkAccess.ALLOWED, Duration.ofMinutes(1)), PROCS);

        List<String> p = plan.prefix();
        assertThat(p.subList(0, 2)).containsExactly("/bin/sh", "-c");
        assertThat(p.get(2)).isEqualTo("echo $$ > '" + PROCS.get(0) + "' && echo $$ > '" + PROCS.get(1)
                + "' && exec \"$@\"");
        assertThat(p.indexOf(PRLIMIT.toString())).isLessThan(p.indexOf(BWRAP.toString()));
        assertThat(p.indexOf(BWRAP.toString())).isLessThan(p.indexOf("/usr/bin/setpriv"));
        // bwrap run by root: its own namespaces but no user namespace, and network shared (allowed).
        assertThat(p).contains("--fsize=" + (1L << 30), "--reuid=65534", "--regid=65534", "--clear-groups",
                "--no-new-privs", "--unshare-pid", "--unshare-ipc", "--die-with-parent")
                .doesNotContain("--unshare-all", "--unshare-net", "--share-net");
        // The cgroup's CPU share and pids limit hold: no CPU seconds, no per-user process cap.
        assertThat(p).noneMatch(a -> a.startsWith("--cpu=") || a.startsWith("--nproc="));
        assertThat(p.subList(p.size() - 12, p.size())).containsExactly("--bind", WORK.toString(), WORK.toString(),
                "--chdir", WORK.toString(), "--", "/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", "--no-new-privs", "--");
        assertThat(tmpfsTargets(p)).containsExactly("/tmp", "/home", "/srv/mesh");
        // Everything but CPU seconds (the cgroup holds the share) and no-network (this job may use it).
        assertThat(plan.enforced()).containsExactlyInAnyOrder(Protection.MEMORY_LIMIT, Protection.CPU_LIMIT,
                Protection.PROCESS_LIMIT, Protection.DISK_LIMIT, Protection.FILESYSTEM_ISOLATION,
                Protection.PID_ISOLATION, Protection.SEPARATE_USER);
    }

    @Test
    void when_noCgroupHoldsTheCpuShare_then_cpuSecondsAreCpusTimesTimeoutWithAHardLimitFiveSecondsLater()
            throws Exception {
        SandboxLayers rlimits = layers(true, false, false, Set.of(), List.of());

        LaunchPlan plan = SandboxPlanner.plan(rlimits, attempt(NetworkAccess.ALLOWED, Duration.ofSeconds(7)),
                List.of());

        assertThat(plan.cpuSeconds()).isEqualTo(4); // ceil(0.5 x 7)
        assertThat(plan.prefix()).containsExactly(PRLIMIT.toString(), "--fsize=" + (1L << 30), "--nofile=4096",
                "--core=0", "--cpu=4:9", "--");
        assertThat(plan.enforced()).containsExactlyInAnyOrder(Protection.DISK_LIMIT, Protection.CPU_TIME_LIMIT);
    }

    @Test
    void when_thereIsNoTimeout_then_noCpuSecondsAreCapped() throws Exception {
        LaunchPlan plan = SandboxPlanner.plan(layers(true, false, false, Set.of(), List.of()),
                attempt(NetworkAccess.ALLOWED, Duration.ZERO), List.of());

        assertThat(plan.cpuSeconds()).isZero();
        assertThat(plan.enforced()).doesNotContain(Protection.CPU_TIME_LIMIT);
    }

    @Test
    void when_tasksHaveAUserOfTheirOwnButNoPidsCgroup_then_nprocCapsTheirProcesses() throws Exception {
        LaunchPlan plan = SandboxPlanner.plan(layers(true, true, false, Set.of(), List.of()),
                attempt(NetworkAccess.ALLOWED, Duration.ofMinutes(1)), List.of());

        assertThat(plan.prefix()).contains("--nproc=64");
        assertThat(plan.enforced()).contains(Protection.PROCESS_LIMIT, Protection.SEPARATE_USER);
    }

    @Test
    void when_tasksRunAsTheAgentsOwnUser_then_nprocIsNotUsedBecauseItWouldCountTheAgentsThreads() throws Exception {
        LaunchPlan plan = SandboxPlanner.plan(layers(true, false, false, Set.of(), List.of()),
                attempt(NetworkAccess.ALLOWED, Duration.ofMinutes(1)), List.of());

        assertThat(plan.prefix()).noneMatch(a -> a.startsWith("--nproc"));
        assertThat(plan.enforced()).doesNotContain(Protection.PROCESS_LIMIT);
    }

    @Test
    void when_aJobSaysNetworkNone_then_bwrapKeepsItsNetworkNamespace() throws Exception {
        LaunchPlan plan = SandboxPlanner.plan(layers(false, false, true, Set.of(), List.of()),
                attempt(NetworkAccess.NONE, Duration.ofMinutes(1)), List.of());
        LaunchPlan asRoot = SandboxPlanner.plan(layers(false, true, true, Set.of(), List.of()),
                attempt(NetworkAccess.NONE, Duration.ofMinutes(1)), List.of());

        assertThat(plan.prefix()).contains("--unshare-all").doesNotContain("--share-net");
        assertThat(asRoot.prefix()).contains("--unshare-net");
        assertThat(plan.enforced()).contains(Protection.NO_NETWORK);
        assertThat(asRoot.enforced()).contains(Protection.NO_NETWORK);
    }

    @Test
    void when_theAgentIsNotRoot_then_bwrapMakesItsOwnUserNamespaceAndSharesTheNetworkWhenAllowed() throws Exception {
        LaunchPlan plan = SandboxPlanner.plan(layers(false, false, true, Set.of(), List.of()),
                attempt(NetworkAccess.ALLOWED, Duration.ofMinutes(1)), List.of());

        assertThat(plan.prefix()).contains("--unshare-all", "--share-net").doesNotContain("/usr/bin/setpriv");
    }

    @Test
    void when_aJobSaysNetworkNoneOnANodeWithoutBwrap_then_theAttemptIsRefused() {
        assertThatThrownBy(() -> SandboxPlanner.plan(layers(true, true, false, CGROUP, List.of()),
                attempt(NetworkAccess.NONE, Duration.ofMinutes(1)), PROCS))
                .isInstanceOf(SandboxRefusal.class)
                .hasMessage("this node cannot run tasks without network (no working bubblewrap)");
    }

    @Test
    void when_noLayerExists_then_theTaskRunsBare() throws Exception {
        LaunchPlan plan = SandboxPlanner.plan(SandboxLayers.none(),
                attempt(NetworkAccess.ALLOWED, Duration.ofMinutes(1)), List.of());

        assertThat(plan.prefix()).isEmpty();
        assertThat(plan.enforced()).isEmpty();
    }

    @Test
    void when_everyCombinationOfLayersIsPlanned_then_whatAPlanEnforcesIsWhatTheLayersAdvertise() throws Exception {
        for (int mask = 0; mask < 16; mask++) {
            boolean prlimit = (mask & 1) != 0;
            boolean user = (mask & 2) != 0;
            boolean bwrap = (mask & 4) != 0;
            boolean cgroup = (mask & 8) != 0;
            SandboxLayers layers = layers(prlimit, user, bwrap, cgroup ? CGROUP : Set.of(), List.of());
            LaunchPlan plan = SandboxPlanner.plan(layers, attempt(NetworkAccess.ALLOWED, Duration.ofMinutes(1)),
                    cgroup ? PROCS : List.of());
            Set<Protection> advertised = EnumSet.noneOf(Protection.class);
            advertised.addAll(layers.protections());
            // NO_NETWORK is advertised as a capability; an attempt with network allowed does not use it, and
            // CPU seconds are dropped where the cgroup holds the CPU share.
            advertised.remove(Protection.NO_NETWORK);
            if (cgroup) {
                advertised.remove(Protection.CPU_TIME_LIMIT);
            }
            assertThat(plan.enforced()).as("layers %s", mask).isEqualTo(advertised);
        }
    }

    @Test
    void when_hiddenDirectoriesNest_then_onlyTheOutermostIsMountedAndThoseUnderTmpAreLeftToTheFreshTmp()
            throws Exception {
        SandboxLayers layers = layers(false, false, true, Set.of(),
                List.of(Path.of("/srv/mesh/identity"), Path.of("/srv/mesh"), Path.of("/tmp/mesh-x"), Path.of("/home")));

        LaunchPlan plan = SandboxPlanner.plan(layers, attempt(NetworkAccess.ALLOWED, Duration.ZERO), List.of());

        assertThat(tmpfsTargets(plan.prefix())).containsExactly("/tmp", "/home", "/srv/mesh");
    }

    @Test
    void when_aCgroupPathHoldsAQuote_then_planningRefusesToBuildTheScript() {
        assertThatThrownBy(() -> SandboxPlanner.joinScript(List.of(Path.of("/sys/fs/cgroup/x'; rm -rf /; '"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static SandboxLayers layers(boolean prlimit, boolean user, boolean bwrap, Set<Protection> cgroup,
                                        List<Path> hidden) {
        return new SandboxLayers(prlimit ? Optional.of(PRLIMIT) : Optional.empty(),
                user ? Optional.of(NOBODY) : Optional.empty(), bwrap ? Optional.of(BWRAP) : Optional.empty(), cgroup,
                hidden);
    }

    private static AttemptLimits attempt(NetworkAccess network, Duration timeout) {
        return new AttemptLimits("j-1_0_1", WORK, HALF_CORE, network, timeout);
    }

    private static List<String> tmpfsTargets(List<String> prefix) {
        List<String> targets = new ArrayList<>();
        for (int i = 0; i + 1 < prefix.size(); i++) {
            if (prefix.get(i).equals("--tmpfs")) {
                targets.add(prefix.get(i + 1));
            }
        }
        return targets;
    }
}
