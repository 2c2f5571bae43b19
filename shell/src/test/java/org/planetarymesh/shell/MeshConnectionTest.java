package org.planetarymesh.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.planetarymesh.submitter.MeshClientOptions;
import org.planetarymesh.submitter.MeshException;

class MeshConnectionTest {
    private final FakeMesh mesh = new FakeMesh();
    private final AtomicInteger connects = new AtomicInteger();

    @Test
    void when_noCommandAsksForTheMesh_then_nothingConnects() {
        var connection = new MeshConnection(() -> {
            throw new AssertionError("options read");
        }, options -> {
            throw new AssertionError("connected");
        });

        connection.close();

        assertThat(connection.isConnected()).isFalse();
    }

    @Test
    void when_commandsAskTwice_then_oneClientIsConnectedAndClosedWithTheConnection() {
        var connection = new MeshConnection(() -> MeshClientOptions.of("a:5701"), options -> {
            connects.incrementAndGet();
            return mesh;
        });

        assertThat(connection.get()).isSameAs(mesh);
        assertThat(connection.get()).isSameAs(mesh);
        connection.close();

        assertThat(connects).hasValue(1);
        assertThat(mesh.closed).isTrue();
    }

    @Test
    void when_connectingFails_then_theNextCommandTriesAgain() {
        var connection = new MeshConnection(() -> MeshClientOptions.of("a:5701"), options -> {
            if (connects.incrementAndGet() == 1) {
                throw new MeshException("no coordinator answered");
            }
            return mesh;
        });

        assertThatThrownBy(connection::get).hasMessage("no coordinator answered");
        assertThat(connection.get()).isSameAs(mesh);
    }
}
