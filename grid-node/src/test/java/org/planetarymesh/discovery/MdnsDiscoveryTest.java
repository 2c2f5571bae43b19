package org.planetarymesh.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.node.MemberConfigs;
import org.planetarymesh.node.NodeOptions;
import org.planetarymesh.submitter.MeshException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real JmDNS on 127.0.0.1 (Linux delivers multicast on {@code lo} although it has no MULTICAST flag) and real
 * Hazelcast members. Every test uses a mesh name of its own: other builds on this machine may advertise on the
 * same link at the same time.
 *
 * <p>The sessions are opened and the adverts made once, up front: a new session takes about 4 s before its adverts
 * are answered, and closing one takes about 2 s, so they probe and close in parallel.
 */
class MdnsDiscoveryTest {
    private static final Logger LOG = LoggerFactory.getLogger(MdnsDiscoveryTest.class);
    private static final String HOST = "127.0.0.1";
    private static final String CA = "sha256:" + "ab".repeat(32);
    private static final String OTHER_CA = "sha256:" + "cd".repeat(32);
    private static final Duration GENEROUS = Duration.ofSeconds(15);

    private static MdnsSession coordinatorSide;
    private static MdnsSession browsingSide;
    private static MdnsSession memberA;
    private static MdnsSession memberB;
    private static final String SEVERAL_MESHES = uniqueMesh();
    private static final String RUNNING = uniqueMesh();
    private static final String ENROLLING = uniqueMesh();
    private static long advertised;
    private static MdnsAdvertiser enrolling;
    private static final List<AutoCloseable> LATE_CLOSES = new ArrayList<>();

    private final List<HazelcastInstance> members = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void openSessions() {
        String run = UUID.randomUUID().toString().substring(0, 6);
        coordinatorSide = MdnsSession.open(HOST, "mdns-test-coordinator-" + run);
        browsingSide = MdnsSession.open(HOST, "mdns-test-browser-" + run);
        memberA = MdnsSession.open(HOST, "mdns-test-member-a-" + run);
        memberB = MdnsSession.open(HOST, "mdns-test-member-b-" + run);
        advertised = System.nanoTime();
        coordinatorSide.advertise(CoordinatorAdvert.of(SEVERAL_MESHES, CA, "match"), 15701);
        coordinatorSide.advertise(CoordinatorAdvert.of(SEVERAL_MESHES, OTHER_CA, "other-ca"), 15702);
        coordinatorSide.advertise(CoordinatorAdvert.of(SEVERAL_MESHES, null, "plaintext"), 15703);
        coordinatorSide.advertise(CoordinatorAdvert.of(SEVERAL_MESHES + "-other", CA, "other-mesh"), 15704);
        coordinatorSide.advertise(CoordinatorAdvert.of(RUNNING, CA, "running"), 15711);
        enrolling = coordinatorSide.advertise(CoordinatorAdvert.of(ENROLLING, null, "enrolling"), 15721);
    }

    @AfterEach
    void stopMembers() {
        members.forEach(HazelcastInstance::shutdown);
    }

    @AfterAll
    static void closeSessions() {
        List<AutoCloseable> all = new ArrayList<>(LATE_CLOSES);
        all.addAll(List.of(coordinatorSide, browsingSide, memberA, memberB));
        CompletableFuture.allOf(all.stream().map(c -> CompletableFuture.runAsync(() -> {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).toArray(CompletableFuture[]::new)).join();
    }

    @Test
    void when_coordinatorsOfSeveralMeshesAndCasAdvertise_then_aBrowserFindsOnlyItsOwnMeshAndCa() {
        String mesh = SEVERAL_MESHES;
        try (MdnsBrowser browser = browsingSide.browse(MeshSelector.of(mesh, CA))) {
            List<FoundCoordinator> found = browser.require(GENEROUS);
            LOG.info("measured: advert on a new session to first resolution: {} ms (if this test ran first)",
                    millisSince(advertised));

            assertThat(found).extracting(FoundCoordinator::hostPort).containsExactly(HOST + ":15701");
            assertThat(found.get(0).advert()).isEqualTo(CoordinatorAdvert.of(mesh, CA, "match"));
            await().atMost(GENEROUS).untilAsserted(() -> assertThat(browser.ignored())
                    .extracting(CoordinatorAdvert::node).contains("other-ca", "plaintext", "other-mesh"));
            assertThat(browser.coordinators()).extracting(FoundCoordinator::hostPort).containsExactly(HOST + ":15701");
        }
    }

    @Test
    void when_aFinderStartsWhileACoordinatorAdvertises_then_itFindsItAtOnce_andNoneOfAnotherMeshIsAnError() {
        String mesh = RUNNING;
        try (MdnsBrowser running = browsingSide.browse(MeshSelector.of(mesh, CA))) {
            running.require(GENEROUS); // the advert is up and answering
        }

        CoordinatorFinder finder = CoordinatorFinder.on(HOST);
        LATE_CLOSES.add(finder);
        long started = System.nanoTime();
        List<String> found = finder.find(mesh, CA.toUpperCase().replace("SHA256", "sha256"), Duration.ofSeconds(5));
        LOG.info("measured: new finder to resolution of a running advert: {} ms", millisSince(started));

        assertThat(found).containsExactly(HOST + ":15711");
        assertThatThrownBy(() -> finder.find(mesh, OTHER_CA, Duration.ofMillis(500)))
                .isInstanceOf(MeshException.class)
                .hasMessageStartingWith("no coordinator of mesh '" + mesh + "' with CA " + OTHER_CA + " answered on ")
                .hasMessageContaining("(127.0.0.1) within 0.5 s; give --join HOST:PORT")
                .hasMessageContaining("(seen and ignored: mesh '" + mesh + "' with CA " + CA + " from 'running'");
    }

    @Test
    void when_theAdvertGainsAnEnrollPort_then_browsersSeeIt() {
        try (MdnsBrowser browser = browsingSide.browse(MeshSelector.of(ENROLLING, null))) {
            assertThat(browser.require(GENEROUS).get(0).advert().enrollPort()).isEmpty();

            enrolling.enrollPort(15821); // probably before the advert is fully announced: the hard case
            await().atMost(GENEROUS).until(() -> browser.coordinators().stream()
                    .anyMatch(c -> c.advert().enrollPort().equals(OptionalInt.of(15821))));
        }
    }

    @Test
    void when_twoMembersDiscoverEachOtherWithMdns_then_theyFormOneClusterWithoutAMemberList() {
        String mesh = uniqueMesh();
        MeshSelector selector = MeshSelector.of(mesh, null);
        int portA = freePort();
        int portB = freePort();
        NodeOptions a = new NodeOptions("mdns-a", HOST, portA, List.of(), mesh, 1, 0, Set.of(), dir)
                .withDiscovery(memberA.browse(selector));
        Config configA = MemberConfigs.coordinator(a);
        members.add(Hazelcast.newHazelcastInstance(configA));
        memberA.advertise(CoordinatorAdvert.of(mesh, null, "mdns-a"), portA);

        long started = System.nanoTime();
        MdnsBrowser browserB = memberB.browse(selector);
        assertThat(browserB.require(GENEROUS)).extracting(FoundCoordinator::hostPort).containsExactly(HOST + ":" + portA);
        long found = millisSince(started);
        NodeOptions b = new NodeOptions("mdns-b", HOST, portB, List.of(), mesh, 1, 1, Set.of(), dir)
                .withDiscovery(browserB);
        HazelcastInstance memberOfB = Hazelcast.newHazelcastInstance(MemberConfigs.agent(b));
        members.add(memberOfB);
        LOG.info("measured: member B found A in {} ms, joined its cluster {} ms after it started looking", found,
                millisSince(started));

        await().atMost(GENEROUS).untilAsserted(() -> members.forEach(m ->
                assertThat(m.getCluster().getMembers()).hasSize(2)));
        JoinConfig join = memberOfB.getConfig().getNetworkConfig().getJoin();
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getDiscoveryConfig().getDiscoveryStrategyConfigs()).hasSize(1);
        assertThat(configA.getProperty("hazelcast.discovery.enabled")).isEqualTo("true");
    }

    private static String uniqueMesh() {
        return "mdns-test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
