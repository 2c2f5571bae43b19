package org.planetarymesh.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.map.IMap;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntUnaryOperator;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue test 8: two TLS members and a TLS client on 127.0.0.1 exchange a few MB/s of map traffic for 30 s while
 * TLS 1.3 updates its keys every 64 KiB ({@code jdk.tls.keyLimits} from {@code tls-test.security}, failsafe's
 * argLine). Every value written is read back through another TLS path and compared by CRC-32; no connection may be
 * dropped or opened anew, and the engines must show that keys were in fact updated, on the client's connection and
 * on the members' own.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TlsLoadIT {

    private static final Duration RUN = Duration.ofSeconds(30);
    /** Bytes of values per second the client writes and reads back (each value crosses its TLS connection twice). */
    private static final long CLIENT_RATE = 3L << 20;
    /** Bytes of values per second the second member writes, read back by the first (the member connection). */
    private static final long MEMBER_RATE = 1L << 20;
    /** Well below the paced rates, so a slow shared machine passes while a stalled connection does not. */
    private static final long MIN_BYTES = RUN.toSeconds() << 20;
    /** Sending key changes each end of each connection must show; at 64 KiB per key the run makes thousands. */
    private static final long MIN_KEY_CHANGES = 50;
    private static final int KEYS = 64;
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final TestPki meshCa = TestPki.newCa("mesh-ca");
    private final TlsTestNet net = new TlsTestNet();
    private final ExecutorService load = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopAll() {
        load.shutdownNow();
        net.close();
    }

    @Test
    void when_aClientAndTwoMembersExchangeMegabytesForHalfAMinute_then_keysAreUpdatedNoConnectionDropsAndEveryValueChecksOut()
            throws Exception {
        assertThat(Security.getProperty("jdk.tls.keyLimits")).as("tls-test.security in failsafe's argLine")
                .contains("AES/GCM/NoPadding KeyUpdate 2^16");
        TlsEngineWatch firstTls = new TlsEngineWatch(meshCa.context("member-1"));
        TlsEngineWatch secondTls = new TlsEngineWatch(meshCa.context("member-2"));
        TlsEngineWatch clientTls = new TlsEngineWatch(meshCa.context("client"));
        HazelcastInstance first = net.track(TlsMembers.newMember(net.memberConfig(TlsTestNet.freePort(), null),
                firstTls.context()));
        HazelcastInstance second = net.track(TlsMembers.newMember(
                net.memberConfig(TlsTestNet.freePort(), TlsTestNet.memberPort(first)), secondTls.context()));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(first.getCluster().getMembers()).hasSize(2);
            assertThat(second.getCluster().getMembers()).hasSize(2);
        });
        HazelcastInstance client = net.client(clientTls.context(), TlsTestNet.memberPort(first), 5_000);

        List<String> incidents = new CopyOnWriteArrayList<>();
        for (HazelcastInstance member : List.of(first, second)) {
            member.getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                    incidents.add(member.getName() + ": member added " + event.getMember());
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                    incidents.add(member.getName() + ": member removed " + event.getMember());
                }
            });
        }
        client.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() != LifecycleState.CLIENT_CONNECTED) {
                incidents.add("client: " + event.getState());
            }
        });

        IMap<Integer, byte[]> fromClient = client.getMap("load-client");
        IMap<Integer, byte[]> fromSecond = second.getMap("load-member");
        Writer clientWriter = new Writer(fromClient, fromClient, 1);
        Writer memberWriter = new Writer(fromSecond, first.getMap("load-member"), 2);
        clientWriter.warmUp();
        memberWriter.warmUp();
        // every connection is open now: from here on, a new engine means a connection was opened again
        int firstEngines = firstTls.engines().size();
        int secondEngines = secondTls.engines().size();
        int clientEngines = clientTls.engines().size();
        long refusals = TlsRefusals.mark();

        long start = System.nanoTime();
        Future<Long> clientBytes = load.submit(() -> clientWriter.run(start, CLIENT_RATE, i -> i % 4 == 0 ? 1 << 10 : 64 << 10));
        Future<Long> memberBytes = load.submit(() -> memberWriter.run(start, MEMBER_RATE, i -> 16 << 10));
        long moved = clientBytes.get(RUN.toSeconds() + 60, TimeUnit.SECONDS)
                + memberBytes.get(RUN.toSeconds() + 60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;

        // every map's last values, through every instance
        for (HazelcastInstance reader : List.of(client, first, second)) {
            clientWriter.checkAll(reader.getMap("load-client"));
            memberWriter.checkAll(reader.getMap("load-member"));
        }
        System.out.printf("TlsLoadIT: %.1f MB of values in %.1f s (%.2f MB/s), %d + %d values checked%n",
                moved / 1e6, seconds, moved / 1e6 / seconds, clientWriter.checked, memberWriter.checked);
        for (TlsEngineWatch.Engine engine : allEngines(firstTls, secondTls, clientTls)) {
            System.out.println("TlsLoadIT: " + engine);
        }

        assertThat(seconds).isGreaterThanOrEqualTo(RUN.toSeconds());
        assertThat(moved).as("bytes of values written and read back").isGreaterThanOrEqualTo(MIN_BYTES);
        assertThat(incidents).as("membership and client connection events during the run").isEmpty();
        assertThat(TlsTestNet.refusalsSince(refusals)).isEmpty();
        assertThat(firstTls.engines()).as("TLS connections of member 1").hasSize(firstEngines);
        assertThat(secondTls.engines()).as("TLS connections of member 2").hasSize(secondEngines);
        assertThat(clientTls.engines()).as("TLS connections of the client").hasSize(clientEngines);
        assertThat(first.getCluster().getMembers()).hasSize(2);
        assertThat(client.getLifecycleService().isRunning()).isTrue();
        // both ends of both connections changed their sending keys many times: the KeyUpdates did happen
        assertThat(clientTls.engines()).singleElement().satisfies(TlsLoadIT::updatedKeys);
        assertThat(secondTls.engines()).filteredOn(engine -> engine.peer().equals("CN=member-1"))
                .anySatisfy(TlsLoadIT::updatedKeys);
        assertThat(firstTls.engines()).filteredOn(engine -> engine.peer().equals("CN=client"))
                .anySatisfy(TlsLoadIT::updatedKeys);
        assertThat(firstTls.engines()).filteredOn(engine -> engine.peer().equals("CN=member-2"))
                .anySatisfy(TlsLoadIT::updatedKeys);
    }

    private static void updatedKeys(TlsEngineWatch.Engine engine) {
        assertThat(engine.sendKeyChanges()).as("sending key changes of the " + engine)
                .isGreaterThanOrEqualTo(MIN_KEY_CHANGES);
    }

    private static List<TlsEngineWatch.Engine> allEngines(TlsEngineWatch... watches) {
        List<TlsEngineWatch.Engine> all = new ArrayList<>();
        for (TlsEngineWatch watch : watches) {
            all.addAll(watch.engines());
        }
        return all;
    }

    /**
     * Writes random values to one map from one thread (so the last value of each key is known), reads each back
     * through {@code readBack} and compares CRC-32s.
     */
    private static final class Writer {
        private final IMap<Integer, byte[]> target;
        private final IMap<Integer, byte[]> readBack;
        private final Random random;
        private final Map<Integer, Long> lastCrc = new ConcurrentHashMap<>();
        private long checked;

        Writer(IMap<Integer, byte[]> target, IMap<Integer, byte[]> readBack, long seed) {
            this.target = target;
            this.readBack = readBack;
            this.random = new Random(seed);
        }

        void warmUp() {
            for (int key = 0; key < KEYS; key++) {
                writeAndCheck(key, 1 << 10);
            }
        }

        /** Writes and checks values until {@link #RUN} has passed since {@code start}, at about {@code rate} B/s. */
        long run(long start, long rate, IntUnaryOperator sizeOf) {
            long deadline = start + RUN.toNanos();
            long bytes = 0;
            for (int i = 0; System.nanoTime() < deadline; i++) {
                int size = sizeOf.applyAsInt(i);
                writeAndCheck(random.nextInt(KEYS), size);
                bytes += 2L * size;
                long due = start + (long) (bytes * 1e9 / rate);
                long ahead = due - System.nanoTime();
                if (ahead > 0) {
                    LockSupport.parkNanos(ahead); // pacing to the rate, not waiting on anything
                }
            }
            return bytes;
        }

        private void writeAndCheck(int key, int size) {
            byte[] value = new byte[size];
            random.nextBytes(value);
            long crc = crc(value);
            target.set(key, value);
            lastCrc.put(key, crc);
            byte[] read = readBack.get(key);
            assertThat(read).as("value of key %d", key).isNotNull().hasSize(size);
            assertThat(crc(read)).as("CRC-32 of key %d", key).isEqualTo(crc);
            checked++;
        }

        void checkAll(IMap<Integer, byte[]> map) {
            for (int key = 0; key < KEYS; key++) {
                assertThat(crc(map.get(key))).as("CRC-32 of key %d in %s", key, map.getName()).isEqualTo(lastCrc.get(key));
            }
        }
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
