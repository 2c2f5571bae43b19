package org.planetarymesh.grid;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AsyncCallbacksTest {
    private final String before = System.getProperty(AsyncCallbacks.PARALLELISM);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(AsyncCallbacks.PARALLELISM);
        } else {
            System.setProperty(AsyncCallbacks.PARALLELISM, before);
        }
    }

    @Test
    void when_parallelismIsUnset_then_smallMachinesGetTwoAndLargerOnesTheJdkDefault() {
        System.clearProperty(AsyncCallbacks.PARALLELISM);

        AsyncCallbacks.usePoolOnSmallMachines();

        String expected = Runtime.getRuntime().availableProcessors() <= 2 ? "2" : null;
        assertThat(System.getProperty(AsyncCallbacks.PARALLELISM)).isEqualTo(expected);
    }

    @Test
    void when_parallelismIsSetByTheUser_then_itIsKept() {
        System.setProperty(AsyncCallbacks.PARALLELISM, "7");

        AsyncCallbacks.usePoolOnSmallMachines();

        assertThat(System.getProperty(AsyncCallbacks.PARALLELISM)).isEqualTo("7");
    }
}
