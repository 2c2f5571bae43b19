package org.planetarymesh.security.tls;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.RoutingMode;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * Real members and clients on 127.0.0.1 for the TLS tests: one cluster name per test, configs that join
 * fast and give up fast, and every instance stopped (clients first) when the test ends.
 */
final class TlsTestNet implements AutoCloseable {
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final String cluster = "tls-" + UUID.randomUUID();
    private final List<HazelcastInstance> instances = new ArrayList<>();

    String clusterName() {
        return cluster;
    }

    HazelcastInstance track(HazelcastInstance instance) {
        instances.add(instance);
        return instance;
    }

    /** A member config on {@code port} that joins {@code seedPort} (itself when null) by TCP-IP. */
    Config memberConfig(int port, Integer seedPort) {
        Config config = new Config();
        config.setClusterName(cluster);
        config.setInstanceName("tls-member-" + NAMES.incrementAndGet());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.max.join.seconds", "5");
        config.setProperty("hazelcast.local.localAddress", "127.0.0.1");
        config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2)
                .addMember("127.0.0.1:" + (seedPort == null ? port : seedPort));
        return config;
    }

    /** A lone member whose member and client endpoints are separate ports (advanced network config). */
    Config separateEndpointsConfig(int memberPort, int clientPort) {
        Config config = memberConfig(memberPort, null);
        config.getAdvancedNetworkConfig().setEnabled(true)
                .setMemberEndpointConfig(new ServerSocketEndpointConfig().setPort(memberPort).setPortAutoIncrement(false))
                .setClientEndpointConfig(new ServerSocketEndpointConfig().setPort(clientPort).setPortAutoIncrement(false));
        JoinConfig join = config.getAdvancedNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + memberPort);
        return config;
    }

    /**
     * A member that gives up joining quickly: it fails to start when the seed refuses it, in about 3 s instead of
     * 12. Hazelcast's TCP-IP joiner asks the seed for 1 s (the connection timeout), then claims mastership with an
     * operation to the seed that nothing answers; that waits for a fixed 10 s ({@code TcpIpJoiner}, 5.7.0) unless
     * the operation times out first, after twice the call timeout plus up to 1 s of the invocation monitor's scan.
     */
    Config joiner(int port, int seedPort) {
        Config config = memberConfig(port, seedPort)
                .setProperty("hazelcast.max.join.seconds", "2")
                .setProperty("hazelcast.operation.call.timeout.millis", "1000");
        config.getNetworkConfig().getJoin().getTcpIpConfig().setConnectionTimeoutSeconds(1);
        return config;
    }

    /** A client of one member; plaintext when {@code context} is null. */
    HazelcastInstance client(SSLContext context, int port, long connectTimeoutMillis) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(cluster);
        config.setInstanceName("tls-client-" + NAMES.incrementAndGet());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.getNetworkConfig().addAddress("127.0.0.1:" + port);
        config.getNetworkConfig().getClusterRoutingConfig().setRoutingMode(RoutingMode.SINGLE_MEMBER);
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(connectTimeoutMillis);
        if (context != null) {
            TlsClients.useTls(config, context);
        }
        return track(HazelcastClient.newHazelcastClient(config));
    }

    static int memberPort(HazelcastInstance member) {
        return member.getCluster().getLocalMember().getAddress().getPort();
    }

    /** The refusals recorded since {@code mark} ({@link TlsRefusals#mark()}). */
    static List<String> refusalsSince(long mark) {
        return TlsRefusals.since(mark);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        Collections.reverse(instances); // clients first, so none retries against members already gone
        for (HazelcastInstance instance : instances) {
            try {
                instance.getLifecycleService().terminate();
            } catch (RuntimeException e) {
                // stop the others anyway
            }
        }
        instances.clear();
    }
}
