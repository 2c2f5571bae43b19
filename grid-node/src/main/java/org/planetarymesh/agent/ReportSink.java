package org.planetarymesh.agent;

import com.hazelcast.collection.IQueue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.planetarymesh.jobs.TaskReport;
import org.planetarymesh.submitter.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an agent's reports to the scheduler in batches: whatever accumulated while the previous batch
 * was in flight goes in one {@code addAll}, so a burst of short tasks costs a few queue operations.
 * A batch that cannot be delivered is kept and retried; nothing is dropped while the agent lives.
 */
final class ReportSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportSink.class);
    private static final int MAX_BATCH = 1000;
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final IQueue<TaskReport> queue;
    private final LinkedBlockingQueue<TaskReport> pending = new LinkedBlockingQueue<>();
    private final Set<String> undelivered = ConcurrentHashMap.newKeySet();
    private final Thread sender;
    private volatile boolean open = true;

    ReportSink(IQueue<TaskReport> queue, String nodeName) {
        this.queue = queue;
        this.sender = new Thread(this::sendLoop, "mesh-reports-" + nodeName);
        this.sender.setDaemon(true);
        this.sender.start();
    }

    void add(TaskReport report) {
        if (report.outcome() != TaskState.RUNNING) {
            undelivered.add(report.attemptId());
        }
        pending.add(report);
    }

    /** The attempts whose result is waiting here to be delivered (kept across a time without coordinators). */
    Set<String> undeliveredAttemptIds() {
        return Set.copyOf(undelivered);
    }

    private void sendLoop() {
        List<TaskReport> batch = new ArrayList<>();
        long backoffMillis = 50;
        while (open || !pending.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    TaskReport first = pending.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    if (first.outcome() == TaskState.RUNNING) {
                        lingerFor(batch);
                    }
                    pending.drainTo(batch, MAX_BATCH - batch.size());
                    foldRunningIntoResults(batch);
                }
                queue.addAll(batch);
                for (TaskReport delivered : batch) {
                    if (delivered.outcome() != TaskState.RUNNING) {
                        undelivered.remove(delivered.attemptId());
                    }
                }
                batch.clear();
                backoffMillis = 50;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!open) {
                    LOG.warn("reports not delivered at shutdown count={} reason={}", batch.size(), e.toString());
                    return;
                }
                LOG.warn("reports not delivered yet, retrying count={} reason={}", batch.size(), e.toString());
                try {
                    Thread.sleep(backoffMillis); // back-off between delivery attempts, not synchronisation
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, 2000);
            }
        }
    }

    /**
     * A short task's result usually follows its RUNNING report within milliseconds: waiting a little
     * lets both travel in one batch, and the scheduler then writes the task once instead of twice.
     */
    private void lingerFor(List<TaskReport> batch) throws InterruptedException {
        long deadline = System.nanoTime() + LINGER_NANOS;
        long left;
        while (batch.size() < MAX_BATCH && (left = deadline - System.nanoTime()) > 0) {
            TaskReport next = pending.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    /** Drops the RUNNING report of every attempt whose result is in the same batch (the table allows it). */
    static void foldRunningIntoResults(List<TaskReport> batch) {
        Set<String> ended = new HashSet<>();
        for (TaskReport report : batch) {
            if (report.outcome() != TaskState.RUNNING) {
                ended.add(report.attemptId());
            }
        }
        batch.removeIf(r -> r.outcome() == TaskState.RUNNING && ended.contains(r.attemptId()));
    }

    /** Delivers what is pending (bounded wait), then stops. */
    @Override
    public void close() {
        open = false;
        try {
            sender.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
