package org.planetarymesh.shell;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.planetarymesh.submitter.JobResults;
import org.planetarymesh.submitter.JobStatus;
import org.planetarymesh.submitter.Progress;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.submitter.TaskView;

/** Jobs and tasks as text for people. Pure: "now" and the time zone are passed in. */
final class JobViews {
    /** How many failed tasks the end-of-wait summary lists before pointing at {@code tasks --state}. */
    static final int FAILED_TASKS_SHOWN = 10;
    private static final int OUTPUT_WIDTH = 60;
    private static final int REASON_WIDTH = 60;

    private JobViews() {
    }

    /** Tasks that finished without success: failed, timed out or lost (cancelled ones are counted apart). */
    static int failed(Progress p) {
        return p.failed() + p.timedOut() + p.lost();
    }

    /** {@code j-1 RUNNING 12/30 done (ok 11, failed 1, running 3, queued 15)}. */
    static String progressLine(JobStatus status) {
        Progress p = status.progress();
        var counts = new StringBuilder()
                .append("ok ").append(p.succeeded())
                .append(", failed ").append(failed(p));
        if (p.cancelled() > 0) {
            counts.append(", cancelled ").append(p.cancelled());
        }
        counts.append(", running ").append(p.assigned() + p.running())
                .append(", queued ").append(p.queued());
        return status.jobId() + " " + status.state() + " " + p.finished() + "/" + p.total() + " done (" + counts + ")";
    }

    /** From submission to the end, or to {@code now} while the job runs. */
    static Duration wallTime(JobStatus status, Instant now) {
        return Duration.between(status.submittedAt(), status.finishedAt().orElse(now));
    }

    static String jobsTable(List<JobStatus> jobs, Instant now, ZoneId zone) {
        if (jobs.isEmpty()) {
            return "no jobs";
        }
        Table table = Table.withColumns("id", "name", "state", "done/total", "failed", "submitted", "wall time")
                .rightAlign("done/total", "failed", "wall time");
        for (JobStatus job : jobs) {
            Progress p = job.progress();
            table.row(job.jobId(), job.name(), job.state(), p.finished() + "/" + p.total(), failed(p),
                    Human.time(job.submittedAt(), zone), Human.duration(wallTime(job, now)));
        }
        return table.render();
    }

    static String jobDetail(JobStatus job, Instant now, ZoneId zone) {
        Progress p = job.progress();
        Table table = Table.withColumns("field", "value");
        table.row("id", job.jobId())
                .row("name", job.name())
                .row("state", job.state())
                .row("priority", job.priority())
                .row("tasks", p.finished() + "/" + p.total() + " done")
                .row("  succeeded", p.succeeded())
                .row("  failed", p.failed())
                .row("  timed out", p.timedOut())
                .row("  lost", p.lost())
                .row("  cancelled", p.cancelled())
                .row("  running", p.running())
                .row("  assigned", p.assigned())
                .row("  queued", p.queued())
                .row("submitted", Human.time(job.submittedAt(), zone))
                .row("started", Human.time(job.startedAt(), zone))
                .row("finished", Human.time(job.finishedAt(), zone))
                .row("wall time", Human.duration(wallTime(job, now)));
        // The header row of a key/value list says nothing: drop it.
        return table.render().lines().skip(1).collect(Collectors.joining("\n"));
    }

    static String tasksTable(List<TaskView> tasks) {
        if (tasks.isEmpty()) {
            return "no tasks";
        }
        Table table = Table.withColumns("index", "params", "state", "attempt", "node", "exit", "duration", "cpu",
                        "peak mem", "reason")
                .rightAlign("index", "attempt", "exit", "duration", "cpu", "peak mem");
        for (TaskView task : tasks) {
            table.row(task.index(), Human.params(task.params()), task.state(), task.attempt(),
                    task.node().orElse(Human.NONE), task.exitCode().map(String::valueOf).orElse(Human.NONE),
                    Human.duration(task.duration()), Human.duration(task.cpuTime()),
                    task.peakMemoryBytes().isPresent() ? Human.bytes(task.peakMemoryBytes().getAsLong()) : Human.NONE,
                    Human.oneLine(task.reason(), REASON_WIDTH));
        }
        return table.render();
    }

    /** Each task's output (its first line), then tasks per node and the wall time. */
    static String results(JobResults results) {
        var text = new StringBuilder();
        if (results.tasks().isEmpty()) {
            text.append("no tasks");
        } else {
            Table table = Table.withColumns("index", "params", "state", "output").rightAlign("index");
            for (TaskView task : results.tasks()) {
                String output = Human.firstLine(task.stdout(), OUTPUT_WIDTH);
                if (task.outputTruncated()) {
                    output += " [truncated]";
                }
                table.row(task.index(), Human.params(task.params()), task.state(), output);
            }
            text.append(table.render());
        }
        text.append("\n\n").append(footer(results));
        return text.toString();
    }

    /**
     * What {@code submit --wait} prints when the job ended: the outcome, where tasks ran, and the first failed
     * tasks with their reason.
     */
    static String summary(JobResults results) {
        JobStatus job = results.status();
        Progress p = job.progress();
        var lines = new ArrayList<String>();
        lines.add("job " + job.jobId() + " (" + job.name() + ") " + job.state() + ": " + p.succeeded() + " of "
                + p.total() + " tasks succeeded");
        lines.add(footer(results));
        List<TaskView> failed = results.tasks().stream()
                .filter(t -> t.state().isTerminal() && t.state() != TaskState.SUCCEEDED
                        && t.state() != TaskState.CANCELLED)
                .toList();
        if (!failed.isEmpty()) {
            lines.add("failed tasks:");
            failed.stream().limit(FAILED_TASKS_SHOWN).forEach(t -> lines.add("  #" + t.index() + " "
                    + Human.params(t.params()) + "  " + t.state()
                    + t.exitCode().map(code -> " (exit " + code + ")").orElse("")
                    + (t.reason() == null || t.reason().isBlank() ? "" : ": " + Human.oneLine(t.reason(), 100))));
            if (failed.size() > FAILED_TASKS_SHOWN) {
                lines.add("  ... and " + (failed.size() - FAILED_TASKS_SHOWN) + " more: tasks " + job.jobId()
                        + " --state FAILED");
            }
        }
        return String.join("\n", lines);
    }

    private static String footer(JobResults results) {
        return "tasks per node: " + perNode(results.tasksPerNode()) + "\n"
                + "wall time: " + Human.duration(results.wallTime());
    }

    private static String perNode(Map<String, Integer> tasksPerNode) {
        if (tasksPerNode.isEmpty()) {
            return Human.NONE;
        }
        return tasksPerNode.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())))
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
