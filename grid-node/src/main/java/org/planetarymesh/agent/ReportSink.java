package org.planetarymesh.agent;

import com.hazelcast.collection.IQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.planetarymesh.jobs.TaskReport;
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

    private final IQueue<TaskReport> queue;
    private final LinkedBlockingQueue<TaskReport> pending = new LinkedBlockingQueue<>();
    private final Thread sender;
    private volatile boolean open = true;

    ReportSink(IQueue<TaskReport> queue, String nodeName) {
        this.queue = queue;
        this.sender = new Thread(this::sendLoop, "mesh-reports-" + nodeName);
        this.sender.setDaemon(true);
        this.sender.start();
    }

    void add(TaskReport report) {
        pending.add(report);
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
                    pending.drainTo(batch, MAX_BATCH - 1);
                }
                queue.addAll(batch);
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
