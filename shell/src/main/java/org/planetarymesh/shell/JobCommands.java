package org.planetarymesh.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.planetarymesh.submitter.JobHandle;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.JobStatus;
import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.TaskState;
import org.planetarymesh.submitter.TaskView;
import org.springframework.shell.command.annotation.Command;
import org.springframework.shell.command.annotation.Option;

/** Submit, follow, inspect and cancel jobs. */
@Command(group = "Jobs")
public class JobCommands {

    /** Reads and validates a spec file; {@link JobSpec#read} in the console. */
    @FunctionalInterface
    public interface SpecReader {
        JobSpec read(Path file);
    }

    private final Supplier<MeshClient> mesh;
    private final Console console;
    private final Clock clock;
    private final JobFollower follower;
    private final SpecReader specReader;

    public JobCommands(Supplier<MeshClient> mesh, Console console, Clock clock, JobFollower follower,
                       SpecReader specReader) {
        this.mesh = mesh;
        this.console = console;
        this.clock = clock;
        this.follower = follower;
        this.specReader = specReader;
    }

    @Command(command = "submit", description = "Submit a job spec (YAML or JSON) and print the job's id. "
            + "With --wait, follow it; the exit code is 0 only if the job succeeded.")
    public void submit(
            @Option(required = true, description = "the job spec file") String file,
            @Option(longNames = "wait", description = "follow the job until it ends") boolean wait,
            @Option(longNames = "timeout", description = "with --wait: stop waiting after this long, e.g. 30m "
                    + "(the job keeps running; exit code 5)") String timeout,
            @Option(longNames = "json", description = "print JSON: the id, or with --wait the results")
            boolean json) {
        Optional<Duration> limit = Optional.ofNullable(timeout).filter(t -> !t.isBlank())
                .map(t -> DurationArgument.parse("timeout", t));
        if (limit.isPresent() && !wait) {
            throw new CommandFailure(ExitCode.USAGE, "--timeout goes with --wait");
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new CommandFailure(ExitCode.USAGE, "no such file: " + file);
        }
        JobSpec spec = specReader.read(path);
        JobHandle job = mesh.get().submit(spec);
        if (!wait) {
            console.println(json ? Json.write(Map.of("jobId", job.id())) : job.id());
            return;
        }
        if (!json) {
            console.println(job.id());
        }
        JobStatus last = follow(job, limit, json);
        if (json) {
            console.println(Json.write(job.results()));
        } else if (last.state().isTerminal()) {
            console.println(JobViews.summary(job.results()));
        }
        ExitCode exitCode = ExitCode.afterWait(last.state());
        if (exitCode != ExitCode.OK) {
            throw new CommandFailure(exitCode, whyNotSucceeded(last, limit));
        }
    }

    private JobStatus follow(JobHandle job, Optional<Duration> limit, boolean quiet) {
        try {
            return follower.follow(job, limit, status -> {
                if (!quiet) {
                    console.println(JobViews.progressLine(status));
                }
            });
        } catch (InterruptedException e) {
            // The interrupt is answered here by ending the command; the flag is not set again, since the
            // interactive console goes on reading commands on this thread.
            throw new CommandFailure(ExitCode.INTERRUPTED, "stopped waiting for " + job.id()
                    + "; the job keeps running");
        }
    }

    static String whyNotSucceeded(JobStatus last, Optional<Duration> limit) {
        return switch (last.state()) {
            case FAILED -> "job " + last.jobId() + " FAILED: " + (last.progress().total()
                    - last.progress().succeeded()) + " of " + last.progress().total() + " tasks did not succeed";
            case CANCELLED -> "job " + last.jobId() + " was CANCELLED";
            case QUEUED, RUNNING -> "job " + last.jobId() + " still " + last.state() + " after "
                    + limit.map(Human::duration).orElse("waiting") + " (" + last.progress().finished() + "/"
                    + last.progress().total() + " done); it keeps running: 'job " + last.jobId() + "' shows it";
            case SUCCEEDED -> "job " + last.jobId() + " SUCCEEDED";
        };
    }

    @Command(command = "jobs", description = "List every job, newest first.")
    public String jobs(@Option(longNames = "json", description = "print JSON") boolean json) {
        List<JobStatus> jobs = mesh.get().jobs();
        return json ? Json.write(jobs) : JobViews.jobsTable(jobs, clock.instant(), clock.getZone());
    }

    @Command(command = "job", description = "Show one job's state and progress.")
    public String job(@Option(required = true, description = "the job's id") String id,
                      @Option(longNames = "json", description = "print JSON") boolean json) {
        JobStatus status = mesh.get().job(id).status();
        return json ? Json.write(status) : JobViews.jobDetail(status, clock.instant(), clock.getZone());
    }

    @Command(command = "tasks", description = "List a job's tasks in sweep order.")
    public String tasks(@Option(required = true, description = "the job's id") String id,
                        @Option(longNames = "json", description = "print JSON") boolean json,
                        @Option(longNames = "state", description = "only tasks in this state, e.g. FAILED")
                        String state) {
        Optional<TaskState> only = Optional.ofNullable(state).filter(s -> !s.isBlank()).map(JobCommands::taskState);
        List<TaskView> tasks = mesh.get().job(id).tasks().stream()
                .filter(t -> only.isEmpty() || t.state() == only.get())
                .toList();
        return json ? Json.write(tasks) : JobViews.tasksTable(tasks);
    }

    @Command(command = "results", description = "Show each task's output, tasks per node and the wall time.")
    public String results(@Option(required = true, description = "the job's id") String id,
                          @Option(longNames = "json", description = "print JSON") boolean json) {
        var results = mesh.get().job(id).results();
        return json ? Json.write(results) : JobViews.results(results);
    }

    @Command(command = "cancel", description = "Cancel a job: queued tasks are dropped, running ones killed.")
    public String cancel(@Option(required = true, description = "the job's id") String id) {
        mesh.get().job(id).cancel();
        return "cancel requested for " + id;
    }

    static TaskState taskState(String text) {
        try {
            return TaskState.valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCode.USAGE, "--state '" + text + "' is not a task state: one of "
                    + Arrays.stream(TaskState.values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
    }
}
