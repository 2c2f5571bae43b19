package org.planetarymesh.agent;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.util.List;
import java.util.concurrent.Callable;

/** Asks an agent to kill attempts (their job was cancelled); returns how many were still running. */
public final class CancelAttempts implements Callable<Integer>, HazelcastInstanceAware {
    private List<String> attemptIds;
    private transient HazelcastInstance hz;

    public CancelAttempts() {
    }

    public CancelAttempts(List<String> attemptIds) {
        this.attemptIds = List.copyOf(attemptIds);
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.hz = instance;
    }

    @Override
    public Integer call() {
        return Agent.of(hz).cancel(attemptIds);
    }
}
