package org.planetarymesh.agent;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.util.List;
import java.util.concurrent.Callable;
import org.planetarymesh.jobs.TaskLaunch;

/**
 * A batch of attempts sent by the scheduler to one agent. Runs on the agent's executor thread and only
 * hands the attempts to the local {@link Agent}, so the scheduler's call returns within a millisecond.
 * Serialized with Compact (a public class with an empty constructor; the instance field is transient).
 */
public final class RunAttempts implements Callable<Integer>, HazelcastInstanceAware {
    private List<TaskLaunch> launches;
    private transient HazelcastInstance hz;

    public RunAttempts() {
    }

    public RunAttempts(List<TaskLaunch> launches) {
        this.launches = List.copyOf(launches);
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.hz = instance;
    }

    @Override
    public Integer call() {
        Agent.of(hz).run(launches);
        return launches.size();
    }
}
