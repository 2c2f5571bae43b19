package org.planetarymesh.agent;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Asks an agent which attempts it still holds (running, or ended with a result not delivered yet). A leader that
 * took over after every coordinator restarted sends it when the agent is back, keeps those attempts attached and
 * requeues the others (docs/adr/0017). Serialized with Compact like {@link RunAttempts}.
 */
public final class HeldAttempts implements Callable<List<String>>, HazelcastInstanceAware {
    /** The node asked, for the agent to check it is the one meant. */
    private String node;
    private transient HazelcastInstance hz;

    public HeldAttempts() {
    }

    public HeldAttempts(String node) {
        this.node = node;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.hz = instance;
    }

    @Override
    public List<String> call() {
        Agent agent = Agent.of(hz);
        if (!agent.name().equals(node)) {
            throw new IllegalStateException("asked " + node + " but this is " + agent.name());
        }
        return agent.heldAttempts();
    }
}
