package org.planetarymesh.testing;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.TaskRecord;

/**
 * One coordinator of a {@link TestCluster}, shared by the tests of a class, with the maps the mesh stores its
 * records in: {@code @RegisterExtension static final OneCoordinator COORDINATOR = new OneCoordinator();}. It
 * starts before the class's {@code @BeforeAll} methods and shuts down after its {@code @AfterAll} ones.
 */
public final class OneCoordinator implements BeforeAllCallback, AfterAllCallback {
    private TestCluster cluster;
    private HazelcastInstance member;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = TestCluster.start();
        member = cluster.coordinator("coordinator-1");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        cluster.close();
    }

    public HazelcastInstance member() {
        return member;
    }

    public IMap<String, TaskRecord> tasks() {
        return member.getMap(MeshObjects.TASKS);
    }

    public IMap<String, JobRecord> jobs() {
        return member.getMap(MeshObjects.JOBS);
    }
}
