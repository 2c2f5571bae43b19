package org.planetarymesh.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.local.TestMeshes;
import org.planetarymesh.node.MemberConfigs;
import org.planetarymesh.node.NodeOptions;
import org.planetarymesh.testing.NetworkNamespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovery across a real link: a coordinator ({@code mesh coordinator --discover}, from the built jar) runs in a
 * network namespace of its own, joined to this one by a veth pair, so its adverts and our queries are real
 * multicast on a real interface, not loopback. Needs root and {@code ip}; skipped otherwise. Names and addresses
 * carry this JVM's pid, so parallel builds on one machine do not collide; everything is removed afterwards, also
 * when the set-up fails half-way.
 */
class MdnsNetnsIT {
    private static final Logger LOG = LoggerFactory.getLogger(MdnsNetnsIT.class);
    private static final long PID = ProcessHandle.current().pid();
    private static final int COORDINATOR_PORT = 5701; // the namespace has its own ports
    private static final String MESH = "netns-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    static Path dir;

    private static Process coordinator;
    private static Path coordinatorLog;
    private static NetworkNamespace net;
    /** This end's mDNS, closed in @AfterAll while the coordinator stops. */
    private static MdnsSession here;

    @BeforeAll
    static void startACoordinatorInANamespace() throws IOException {
        net = NetworkNamespace.create("mdns", 53);
        coordinatorLog = dir.resolve("coordinator.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long started = System.nanoTime();
        // Start-up flags as the local mesh's (LocalMesh): a small node starts faster on a busy 2-core machine.
        coordinator = new ProcessBuilder(net.inside(java, "-Dmesh.log.level=INFO", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", TestMeshes.nodeClasspath(),
                "org.planetarymesh.node.Main", "coordinator", "--discover", "--bind", net.thereAddress(), "--port",
                String.valueOf(COORDINATOR_PORT), "--cluster-name", MESH, "--name", "netns-coordinator", "--insecure"))
                .redirectErrorStream(true).redirectOutput(coordinatorLog.toFile()).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> log().contains("ready at") || !coordinator.isAlive());
        assertThat(coordinator.isAlive()).as("coordinator in its namespace:%n%s", log()).isTrue();
        LOG.info("coordinator in its namespace ready after {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    static void removeTheNamespace() throws InterruptedException {
        if (here != null) {
            CompletableFuture<Void> closing = CompletableFuture.runAsync(here::close); // 2 s of goodbyes, meanwhile:
            stopCoordinator();
            closing.join();
        } else {
            stopCoordinator();
        }
        if (net != null) {
            net.close();
        }
    }

    private static void stopCoordinator() throws InterruptedException {
        if (coordinator != null) {
            coordinator.destroy(); // SIGTERM: the node leaves the mesh and withdraws its advert
            if (!coordinator.waitFor(15, TimeUnit.SECONDS)) {
                coordinator.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void when_aCoordinatorAdvertisesOnAVethLink_then_aNodeOnTheOtherEndFindsAndJoinsIt() {
        List<HazelcastInstance> members = new ArrayList<>();
        here = MdnsSession.open(net.hereAddress(), "netns-agent-" + PID);
        try {
            long started = System.nanoTime();
            MdnsBrowser browser = here.browse(MeshSelector.of(MESH, null));
            List<FoundCoordinator> found = browser.require(Duration.ofSeconds(15));
            LOG.info("measured: over veth, a new browser found the coordinator (advertised just now) in {} ms",
                    (System.nanoTime() - started) / 1_000_000);
            assertThat(found).extracting(FoundCoordinator::hostPort).containsExactly(net.thereAddress() + ":" + COORDINATOR_PORT);
            assertThat(found.get(0).advert().node()).isEqualTo("netns-coordinator");

            NodeOptions options = new NodeOptions("netns-agent", net.hereAddress(), COORDINATOR_PORT + 10, List.of(), MESH,
                    1, 1, Set.of(), dir).withDiscovery(browser);
            HazelcastInstance agent = Hazelcast.newHazelcastInstance(MemberConfigs.agent(options));
            members.add(agent);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(agent.getCluster().getMembers()).hasSize(2));
            assertThat(agent.getCluster().getMembers()).anyMatch(m -> m.getAddress().getHost().equals(net.thereAddress()));
        } finally {
            members.forEach(HazelcastInstance::shutdown);
        }
    }

    private static String log() throws IOException {
        return Files.exists(coordinatorLog) ? Files.readString(coordinatorLog) : "";
    }
}
