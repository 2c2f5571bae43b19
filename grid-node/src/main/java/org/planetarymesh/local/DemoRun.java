package org.planetarymesh.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobResults;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.JobState;
import org.planetarymesh.submitter.JobStatus;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.Progress;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.submitter.TaskView;

/** The demo: up, submit the sample sweep, follow it, summarise, down. Exit 0 only if every task succeeded. */
final class DemoRun {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(10);

    private final LocalMesh mesh;
    private final Path specFile;
    private final int agents;
    private final boolean tls;
    private final PrintStream out;

    DemoRun(LocalMesh mesh, Path specFile, int agents, boolean tls, PrintStream out) {
        this.tls = tls;
        this.mesh = mesh;
        this.specFile = specFile;
        this.agents = agents;
        this.out = out;
    }

    int run() {
        JobSpec spec = JobSpec.read(specFile);
        long upStart = System.nanoTime();
        mesh.up(1, agents, 2, tls, Duration.ofSeconds(90), out);
        out.printf("mesh started in %.1fs%n", (System.nanoTime() - upStart) / 1e9);
        try (MeshClient client = mesh.connect()) {
            JobHandle job = client.submit(spec);
            out.printf("submitted job %s (%s): %d tasks%n", job.id(), spec.name(), job.status().progress().total());
            JobStatus last = follow(job);
            JobResults results = job.results();
            printSummary(results);
            return last.state() == JobState.SUCCEEDED ? 0 : 1;
        } finally {
            mesh.down(Duration.ofSeconds(20));
            out.println("local mesh stopped");
        }
    }

    private JobStatus follow(JobHandle job) {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        Progress shown = null;
        while (true) {
            JobStatus status = job.status();
            if (!status.progress().equals(shown)) {
                shown = status.progress();
                out.println("  " + progressLine(status));
            }
            if (status.state().isTerminal() || System.nanoTime() > deadline) {
                return status;
            }
            LocalMesh.pause(Duration.ofMillis(200));
        }
    }

    static String progressLine(JobStatus status) {
        Progress p = status.progress();
        return String.format("%s %-9s %d/%d done (ok %d, failed %d, timed out %d, running %d, queued %d)",
                status.jobId(), status.state(), p.finished(), p.total(), p.succeeded(), p.failed(), p.timedOut(),
                p.running() + p.assigned(), p.queued());
    }

    private void printSummary(JobResults results) {
        out.println();
        out.println("results (sweep order):");
        for (TaskView task : results.tasks()) {
            String output = task.stdout().strip().lines().findFirst().orElse("");
            out.printf("  #%-3d %-22s %-10s %-9s %s%n", task.index(), task.params(), task.node().orElse("-"),
                    task.state(), task.state() == TaskState.SUCCEEDED ? output : task.reason());
        }
        Map<TaskState, Integer> perState = new TreeMap<>();
        results.tasks().forEach(t -> perState.merge(t.state(), 1, Integer::sum));
        out.println();
        out.println("summary of job " + results.status().jobId() + ": " + results.status().state());
        out.println("  tasks per node:  " + new TreeMap<>(results.tasksPerNode()));
        out.println("  tasks per state: " + perState);
        out.printf("  wall time:       %.2fs%n", results.wallTime().toMillis() / 1000.0);
    }
}
