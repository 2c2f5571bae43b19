package org.planetarymesh.persistence;

import static org.planetarymesh.jobs.RecordFixtures.aTask;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.planetarymesh.grid.AsyncCallbacks;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.node.MemberConfigs;
import org.planetarymesh.node.NodeOptions;
import org.planetarymesh.scheduler.FencedWrites;
import org.planetarymesh.submitter.TaskState;

/**
 * How fast the leader can write tasks with persistence off, written through and written behind (H2 file), measured
 * in one run on this machine: medians of {@value #RUNS} runs of {@value #TASKS} writes each, made as the leader makes
 * them ({@code PutTask} entry processors, {@value #ROUND} submitted at once and awaited, as one round's writes).
 * Write-behind is also timed until the database holds every task, so its rate is not a rate of writes deferred for
 * ever. Not part of the build's tests (no *Test name):
 * {@code ./mvnw -o -pl grid-node -am test -Dtest=PersistenceBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class PersistenceBench {
    private static final int TASKS = Integer.getInteger("bench.tasks", 20_000);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final int ROUND = 1_000;

    enum Mode { OFF, WRITE_THROUGH, WRITE_BEHIND }

    record Run(double putsPerSecond, double storedPerSecond) {
    }

    @Test
    void putsIntoTheTasksMap() throws Exception {
        AsyncCallbacks.usePoolOnSmallMachines();
        System.out.printf("persistence benchmark: %d task writes per run (rounds of %d PutTask), %d runs per mode,"
                + " %d cores, H2 file database%n", TASKS, ROUND, RUNS, Runtime.getRuntime().availableProcessors());
        run(Mode.WRITE_BEHIND, 0); // warm-up of the JIT, Hazelcast and H2
        double off = 0;
        for (Mode mode : Mode.values()) {
            List<Double> puts = new ArrayList<>();
            List<Double> stored = new ArrayList<>();
            for (int i = 1; i <= RUNS; i++) {
                Run run = run(mode, i);
                puts.add(run.putsPerSecond());
                stored.add(run.storedPerSecond());
            }
            double median = median(puts);
            off = mode == Mode.OFF ? median : off;
            System.out.printf("%-13s puts/s median %7.0f (runs %s)  stored/s until in the database %7s  ratio to off"
                    + " %.2f%n", mode, median, rounded(puts), mode == Mode.OFF ? "-" : String.format("%.0f",
                    median(stored)), median / off);
        }
    }

    private static Run run(Mode mode, int runNumber) throws Exception {
        Path dir = Files.createTempDirectory("mesh-persistence-bench");
        String cluster = "bench-" + mode.name().toLowerCase() + "-" + runNumber + "-" + System.nanoTime();
        NodeOptions options = new NodeOptions("bench-coordinator", "127.0.0.1", freePort(), List.of(), cluster, 1, 0,
                Set.of(), dir);
        Config config = MemberConfigs.coordinator(options);
        config.setProperty("hazelcast.logging.type", "none");
        Database database = mode == Mode.OFF ? null
                : Database.open(PersistenceOptions.h2In(dir).jdbcUrl(), null, null);
        if (database != null) {
            config.getMapConfig(MeshObjects.TASKS).setMapStoreConfig(Persistence.storeConfig(
                    new JdbcMapStore<>(database, MeshObjects.TASKS, TaskRecord.class, System::currentTimeMillis),
                    mode == Mode.WRITE_THROUGH));
        }
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
        try {
            IMap<String, TaskRecord> tasks = hz.getMap(MeshObjects.TASKS);
            String jobId = "j-bench-" + runNumber;
            List<TaskRecord> records = new ArrayList<>(TASKS);
            for (int i = 0; i < TASKS; i++) {
                records.add(aTask(jobId, i).in(TaskState.SUCCEEDED).writtenBy(1).build());
            }
            long start = System.nanoTime();
            for (int from = 0; from < TASKS; from += ROUND) {
                List<CompletableFuture<Long>> writes = new ArrayList<>(ROUND);
                for (TaskRecord task : records.subList(from, Math.min(TASKS, from + ROUND))) {
                    writes.add(tasks.submitToKey(task.taskId(), new FencedWrites.PutTask(1, task))
                            .toCompletableFuture());
                }
                writes.forEach(CompletableFuture::join);
            }
            double putSeconds = (System.nanoTime() - start) / 1e9;
            double storedSeconds = putSeconds;
            if (mode == Mode.WRITE_BEHIND) {
                while (rows(database) < TASKS) {
                    Thread.sleep(20); // polling the database; a benchmark, not a test
                }
                storedSeconds = (System.nanoTime() - start) / 1e9;
            }
            return new Run(TASKS / putSeconds, TASKS / storedSeconds);
        } finally {
            hz.shutdown();
            if (database != null) {
                database.close();
            }
        }
    }

    private static long rows(Database database) {
        return database.call(connection -> {
            try (Statement statement = connection.createStatement();
                 ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM mesh_tasks")) {
                count.next();
                return count.getLong(1);
            }
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }
}
