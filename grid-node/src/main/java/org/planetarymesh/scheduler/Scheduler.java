package org.planetarymesh.scheduler;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.collection.IQueue;
import com.hazelcast.collection.ItemEvent;
import com.hazelcast.collection.ItemListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.planetarymesh.grid.MeshObjects;
import org.planetarymesh.health.HealthThresholds;
import org.planetarymesh.health.NodeHealth;
import org.planetarymesh.health.NodeWatch;
import org.planetarymesh.jobs.BlockRecord;
import org.planetarymesh.jobs.JobRecord;
import org.planetarymesh.jobs.NodeRecord;
import org.planetarymesh.jobs.TaskRecord;
import org.planetarymesh.jobs.TaskReport;
import org.planetarymesh.registry.NodeRegistry;
import org.planetarymesh.scheduler.policy.ClusterView;
import org.planetarymesh.scheduler.policy.Decision;
import org.planetarymesh.scheduler.policy.LostAttempts;
import org.planetarymesh.scheduler.policy.NodeView;
import org.planetarymesh.scheduler.policy.PlacementPolicy;
import org.planetarymesh.scheduler.policy.RetryBackoff;
import org.planetarymesh.scheduler.policy.SchedulingState;
import org.planetarymesh.scheduler.policy.TaskRequest;
import org.planetarymesh.submitter.NodeState;
import org.planetarymesh.submitter.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler of the mesh. Runs on every coordinator, but only the holder of the {@link LeaderLock}
 * acts: it turns submissions into tasks, places queued tasks with the {@link PlacementPolicy}, writes
 * its decisions fenced by its epoch, dispatches one batch per agent, and applies agents' reports.
 *
 * <p>It is the single writer of task state after submission (docs/adr/0009); everything it decides
 * goes through {@link SchedulingState}, which is pure and tested on its own.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final Duration IDLE_WAIT = Duration.ofMillis(200);
    private static final Duration LEADERSHIP_CHECK = Duration.ofMillis(500);
    private static final int REPORT_BATCH = 10_000;
    private static final Duration ORPHAN_SCAN = Duration.ofSeconds(5);
    private static final Duration REASON_REFRESH = Duration.ofSeconds(2);
    private static final Duration MINORITY_RETRY = Duration.ofSeconds(2);
    /**
     * How long a new leader keeps the attempts of an agent that the registry showed online but whose member is gone
     * (after a restart of every coordinator, the agents merge back within about 10 s) before it requeues them.
     */
    private static final Duration REJOIN_GRACE = Duration.ofSeconds(25);
    /** How long a node whose dispatch failed gets no new work (it may be leaving or overloaded). */
    private static final Duration DISPATCH_BACKOFF = Duration.ofSeconds(2);
    /** How long a live node's heartbeats may omit an attempt before it counts as lost. */
    private static final Duration LOST_ATTEMPT_GRACE = Duration.ofSeconds(10);

    private final HazelcastInstance hz;
    private final LeaderLock lock;
    private final PlacementPolicy policy;
    private final Clock clock;
    private final IQueue<String> submissions;
    private final IQueue<String> cancellations;
    private final IQueue<TaskReport> reports;
    private final IMap<String, NodeRecord> nodes;
    private final IMap<String, BlockRecord> blocked;
    private final SchedulerStore store;
    private final BlockingQueue<Boolean> wakeUp = new ArrayBlockingQueue<>(1);
    private final ConcurrentLinkedQueue<Consumer<Term>> localEvents = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long leaderEpoch;

    public Scheduler(HazelcastInstance hz, LeaderLock lock, PlacementPolicy policy, Clock clock) {
        this.hz = hz;
        this.lock = lock;
        this.policy = policy;
        this.clock = clock;
        this.submissions = hz.getQueue(MeshObjects.SUBMISSIONS);
        this.cancellations = hz.getQueue(MeshObjects.CANCELLATIONS);
        this.reports = hz.getQueue(MeshObjects.REPORTS);
        this.nodes = hz.getMap(MeshObjects.NODES);
        this.blocked = hz.getMap(MeshObjects.BLOCKED);
        this.store = new HazelcastSchedulerStore(hz);
        this.thread = new Thread(this::run, "mesh-scheduler");
        this.thread.setDaemon(true);
    }

    public void start() {
        wakeOnItems(submissions);
        wakeOnItems(cancellations);
        wakeOnItems(reports);
        hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                wake();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                UUID left = event.getMember().getUuid();
                forTerm(t -> t.memberLeft(left));
                wake();
            }
        });
        // A node that (re)registers is placeable at once, not at the next periodic refresh.
        nodes.addEntryListener((EntryAddedListener<String, NodeRecord>) event -> {
            NodeRecord node = event.getValue();
            forTerm(t -> t.nodeSeen(node));
            wake();
        }, true);
        nodes.addEntryListener((EntryUpdatedListener<String, NodeRecord>) event -> {
            NodeRecord node = event.getValue();
            forTerm(t -> t.nodeSeen(node));
        }, true);
        thread.start();
    }

    private static boolean isMinoritySide(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SplitBrainProtectionException) {
                return true;
            }
        }
        return false;
    }

    private void pauseAfterRefusal() {
        try {
            wakeUp.poll(MINORITY_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Hands an event to the current term. A coordinator that does not lead drops it: a term starts
     * from the maps themselves (see {@link TakeOver}), so nothing from before it is needed.
     */
    private void forTerm(Consumer<Term> event) {
        if (leaderEpoch != 0) {
            localEvents.add(event);
        }
    }

    private <T> void wakeOnItems(IQueue<T> queue) {
        queue.addItemListener(new ItemListener<T>() {
            @Override
            public void itemAdded(ItemEvent<T> item) {
                wake();
            }

            @Override
            public void itemRemoved(ItemEvent<T> item) {
                // only arrivals wake the scheduler
            }
        }, false);
    }

    /** The epoch this coordinator leads with, 0 when it is not the leader. */
    public long leaderEpoch() {
        return leaderEpoch;
    }

    private void wake() {
        wakeUp.offer(Boolean.TRUE);
    }

    private void run() {
        while (running) {
            try {
                OptionalLong epoch = lock.tryAcquire(Duration.ofSeconds(1));
                if (epoch.isEmpty()) {
                    continue;
                }
                localEvents.clear();
                leaderEpoch = epoch.getAsLong();
                LOG.info("leadership acquired epoch={} node={}", leaderEpoch, hz.getName());
                try {
                    new Term(epoch.getAsLong()).lead();
                } finally {
                    LOG.info("leadership ended epoch={} node={}", leaderEpoch, hz.getName());
                    lock.release(leaderEpoch);
                    leaderEpoch = 0;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (HazelcastInstanceNotActiveException e) {
                return;
            } catch (RuntimeException e) {
                if (!hz.getLifecycleService().isRunning()) {
                    return;
                }
                if (isMinoritySide(e)) {
                    // Expected during a network split: this side may not write; wait for the majority.
                    LOG.warn("scheduler paused: this coordinator is on the minority side of a split node={}",
                            hz.getName());
                    pauseAfterRefusal();
                } else {
                    LOG.error("scheduler error, retrying leadership: {}", e.toString(), e);
                }
            }
        }
    }

    /** One leadership term: everything here runs on the scheduler thread. */
    private final class Term {
        private final long epoch;
        private final SchedulingState state;
        private final JobExpansion expansion;
        private final SubmissionIntake intake;
        private final Dispatcher dispatcher;
        private Map<String, NodeRecord> agents = Map.of();
        private long lastLeadershipCheck;
        private long lastNodeRefresh;
        private boolean deposed;
        private long lastOrphanScan;
        private long lastReasons;
        private final Map<String, Long> unavailableUntil = new HashMap<>();
        private final NodeWatch watch;
        private final LostAttempts lostAttempts;
        private final Map<String, Long> staleKillAsked = new HashMap<>();
        /** Nodes whose attempts wait for them to rejoin, with the time their grace ends. */
        private final Map<String, Long> rejoining = new HashMap<>();
        /** Rejoined nodes asked which attempts they hold, not answered yet. */
        private final Set<String> askedHeld = new HashSet<>();

        Term(long epoch) {
            this.epoch = epoch;
            long start = clock.millis();
            this.watch = new NodeWatch(new NodeHealth(HealthThresholds.DEFAULTS), start);
            this.lostAttempts = new LostAttempts(LOST_ATTEMPT_GRACE.toMillis(), start);
            this.state = new SchedulingState(epoch, RetryBackoff.standard(new Random()::nextDouble));
            this.expansion = new JobExpansion(store);
            this.intake = new SubmissionIntake(store, expansion, state);
            this.dispatcher = new Dispatcher(hz, failure -> {
                forTerm(t -> t.dispatchFailed(failure));
                wake();
            });
        }

        void lead() throws InterruptedException {
            Set<String> mayRejoin = agentsOnlineButGone(); // before refreshNodes marks them offline
            refreshNodes(true);
            TakeOver takeOver = new TakeOver(store, expansion, state, clock);
            List<SchedulingState.Kill> kills = takeOver.run(agents.keySet(), mayRejoin);
            long graceEnds = clock.millis() + REJOIN_GRACE.toMillis();
            takeOver.rejoining().forEach(node -> rejoining.put(node, graceEnds));
            dispatcher.kill(kills, agents);
            flush();
            while (running && !deposed) {
                long now = clock.millis();
                if (now - lastLeadershipCheck >= LEADERSHIP_CHECK.toMillis()) {
                    lastLeadershipCheck = now;
                    if (!lock.holds(epoch)) {
                        LOG.warn("leadership lost epoch={}: another coordinator took over", epoch);
                        return;
                    }
                }
                boolean worked = step();
                if (!worked) {
                    wakeUp.poll(IDLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }

        /** One round: take in what happened, place, write, dispatch. True if anything was done. */
        private boolean step() {
            boolean worked = false;
            Consumer<Term> event;
            while ((event = localEvents.poll()) != null) {
                event.accept(this);
                worked = true;
            }
            refreshNodes(false);
            adoptOrphanedSubmissions();
            worked |= takeSubmissions();
            worked |= takeCancellations();
            worked |= takeReports();
            dispatcher.kill(state.drainKills(), agents);
            worked |= awaitRejoins();
            Map<String, List<TaskRecord>> placed = placeQueued();
            if (!flush()) {
                return true;
            }
            dispatcher.dispatch(placed, agents, expansion::terms);
            return worked || !placed.isEmpty();
        }

        private boolean takeSubmissions() {
            List<String> jobIds = new ArrayList<>();
            submissions.drainTo(jobIds, 100);
            for (String jobId : jobIds) {
                dispatcher.kill(intake.submitted(jobId, clock.millis()), agents);
            }
            return !jobIds.isEmpty();
        }

        /** A job stored whose wake-up never reached the queue is found here within seconds. */
        private void adoptOrphanedSubmissions() {
            long now = clock.millis();
            if (now - lastOrphanScan < ORPHAN_SCAN.toMillis()) {
                return;
            }
            lastOrphanScan = now;
            dispatcher.kill(intake.adoptOrphans(now), agents);
        }

        private boolean takeCancellations() {
            List<String> jobIds = new ArrayList<>();
            cancellations.drainTo(jobIds, 100);
            for (String jobId : jobIds) {
                List<SchedulingState.Kill> kills = state.cancelJob(jobId, clock.millis());
                LOG.info("job cancelled job={} attemptsToKill={}", jobId, kills.size());
                dispatcher.kill(kills, agents);
            }
            return !jobIds.isEmpty();
        }

        private boolean takeReports() {
            List<TaskReport> batch = new ArrayList<>();
            reports.drainTo(batch, REPORT_BATCH);
            for (TaskReport report : batch) {
                SchedulingState.ReportOutcome outcome = state.apply(report, clock.millis());
                if (outcome == SchedulingState.ReportOutcome.APPLIED && report.evicted()) {
                    TaskRecord task = state.task(report.taskId());
                    LOG.info("task evicted job={} task={} attempt={} node={} reason={}", task.jobId(), task.taskId(),
                            report.attemptId(), report.node(), report.reason());
                } else if (outcome == SchedulingState.ReportOutcome.STALE) {
                    LOG.info("stale report ignored task={} attempt={} node={} outcome={}", report.taskId(),
                            report.attemptId(), report.node(), report.outcome());
                    if (report.outcome() == TaskState.RUNNING) {
                        // an attempt the mesh gave up on runs again somewhere: it must not hold a slot or a file
                        dispatcher.kill(List.of(new SchedulingState.Kill(report.node(), report.attemptId())), agents);
                    }
                } else if (report.outcome() != TaskState.RUNNING) {
                    TaskRecord task = state.task(report.taskId());
                    if (task.state() == TaskState.QUEUED) {
                        LOG.info("attempt failed, retrying task={} attempt={} node={} reason={}", task.taskId(),
                                report.attemptId(), report.node(), task.reason());
                    } else if (task.state() != TaskState.SUCCEEDED) {
                        LOG.info("task ended task={} attempt={} node={} state={} reason={}", task.taskId(),
                                report.attemptId(), report.node(), task.state(), task.reason());
                    }
                }
            }
            return !batch.isEmpty();
        }

        /**
         * Asks each node that rejoined which of its attempts it still holds; requeues the attempts of a node whose
         * grace ended before it was back. True if anything was done.
         */
        private boolean awaitRejoins() {
            if (rejoining.isEmpty()) {
                return false;
            }
            long now = clock.millis();
            boolean worked = false;
            for (var it = rejoining.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Long> waiting = it.next();
                String node = waiting.getKey();
                if (askedHeld.contains(node)) {
                    continue;
                }
                if (agents.containsKey(node)) {
                    askedHeld.add(node);
                    dispatcher.askHeld(node, agents, (asked, held) -> {
                        forTerm(t -> t.heldReported(asked, held));
                        wake();
                    });
                    worked = true;
                } else if (now > waiting.getValue()) {
                    it.remove();
                    LOG.info("node did not rejoin in time node={} requeuedTasks={}", node,
                            state.nodeLost(node, now).size());
                    worked = true;
                }
            }
            return worked;
        }

        /** A rejoined node said which attempts it holds (null: it could not say): keep those, requeue the rest. */
        void heldReported(String node, List<String> held) {
            askedHeld.remove(node);
            if (rejoining.remove(node) == null) {
                return;
            }
            long now = clock.millis();
            if (held == null) {
                LOG.info("node rejoined without reporting its attempts node={} requeuedTasks={}", node,
                        state.nodeLost(node, now).size());
                return;
            }
            takeReports(); // results it delivered before answering are in the queue: apply them first
            int before = state.runningOn(node);
            List<String> requeued = state.reattach(node, Set.copyOf(held), now);
            LOG.info("node rejoined node={} attemptsReattached={} requeuedTasks={}", node, before - requeued.size(),
                    requeued.size());
        }

        private Map<String, List<TaskRecord>> placeQueued() {
            long now = clock.millis();
            state.releaseDue(now);
            // Why-pending reasons are written at most every REASON_REFRESH: they carry slot counts that change
            // with every finished task, and rewriting thousands of queued tasks per round starved dispatch.
            boolean recordReasons = now - lastReasons >= REASON_REFRESH.toMillis();
            List<NodeView> views = new ArrayList<>();
            int free = 0;
            for (NodeRecord node : agents.values()) {
                boolean accepting = unavailableUntil.getOrDefault(node.name(), 0L) <= now;
                NodeView view = SchedulerViews.nodeView(node, state.onNode(node.name()), accepting, expansion::terms);
                views.add(view);
                free += accepting && view.available() ? Math.max(0, view.free()) : 0;
            }
            if (free == 0 && !recordReasons) {
                return Map.of();
            }
            // A round can place at most `free` tasks: only the head of each queue is considered.
            List<TaskRecord> queued = recordReasons ? state.queued() : state.queuedCandidates(free);
            if (queued.isEmpty()) {
                return Map.of();
            }
            if (recordReasons) {
                lastReasons = now;
            }
            List<TaskRequest> requests = new ArrayList<>(queued.size());
            for (TaskRecord task : queued) {
                requests.add(SchedulerViews.taskRequest(task, expansion.terms(task.jobId())));
            }
            Map<String, List<TaskRecord>> placed = new HashMap<>();
            for (Decision decision : policy.placeRound(requests, new ClusterView(views))) {
                if (decision instanceof Decision.Placed p) {
                    placed.computeIfAbsent(p.node(), n -> new ArrayList<>()).add(state.assign(p.taskId(), p.node(), now));
                } else if (decision instanceof Decision.Unplaced u && recordReasons) {
                    state.pending(u.taskId(), u.reason());
                }
            }
            return placed;
        }

        /** Writes every change; false when a higher epoch refused a write (this term is over). */
        private boolean flush() {
            SchedulingState.Changes changes = state.drainChanges(clock.millis());
            if (changes.isEmpty()) {
                return true;
            }
            boolean written = store.write(changes, epoch);
            for (JobRecord job : changes.jobs()) {
                if (job.finishedAt() != 0) {
                    expansion.forget(job.jobId());
                    LOG.info("job finished job={} name={} state={} succeeded={} failed={} timedOut={} cancelled={}",
                            job.jobId(), job.name(), job.state(), job.counts().succeeded(), job.counts().failed(),
                            job.counts().timedOut(), job.counts().cancelled());
                }
            }
            if (!written) {
                LOG.warn("write fenced out epoch={}: a newer leader exists", epoch);
                deposed = true;
            }
            return written;
        }

        /** Judges every node by the health rules (at most once a second unless forced); places on HEALTHY agents. */
        private void refreshNodes(boolean force) {
            long now = clock.millis();
            if (!force && now - lastNodeRefresh < 1000) {
                return;
            }
            lastNodeRefresh = now;
            Set<UUID> live = liveMemberUuids();
            Set<String> denied = blocked.keySet();
            Map<String, NodeRecord> placeable = new HashMap<>();
            for (NodeRecord node : nodes.values()) {
                boolean member = live.contains(UUID.fromString(node.memberUuid()));
                NodeHealth.Verdict verdict = watch.judge(node, member, denied.contains(node.name()), now);
                NodeState nodeState = node.state();
                if (verdict.changed(nodeState)) {
                    changeState(node, verdict, now);
                    nodeState = verdict.state();
                }
                // A node rejoining after a restart of every coordinator is asked what it holds (awaitRejoins):
                // until it has answered, its attempts are neither reaped nor killed by the heartbeat checks.
                boolean reconciled = NodeRecord.AGENT.equals(node.role()) && !rejoining.containsKey(node.name());
                if (reconciled && nodeState.isMember()) {
                    reapLostAttempts(node.name(), now);
                }
                if (reconciled && nodeState == NodeState.HEALTHY) {
                    killStaleAttempts(node, now);
                }
                if (NodeRecord.AGENT.equals(node.role()) && nodeState == NodeState.HEALTHY) {
                    placeable.put(node.name(), node);
                }
            }
            agents = placeable;
            lostAttempts.forgetListedBefore(now - 10 * LOST_ATTEMPT_GRACE.toMillis());
        }

        /**
         * Kills what a node runs that the mesh gave up on (it was cut off, its attempts were requeued elsewhere):
         * any attempt its heartbeat lists that is not the current attempt of its task on that node. Asked at most
         * once per attempt every few seconds.
         */
        private void killStaleAttempts(NodeRecord node, long now) {
            List<SchedulingState.Kill> kills = new ArrayList<>();
            for (String attemptId : node.runningAttempts()) {
                int at = attemptId.lastIndexOf('@');
                TaskRecord task = at < 0 ? null : state.task(attemptId.substring(0, at));
                boolean current = task != null && task.state().isOnNode() && task.attemptId().equals(attemptId)
                        && task.node().equals(node.name());
                // The leader adopted every unfinished task when its term began, so a task it does not hold has
                // finished: an attempt of it still running is stale too.
                if (!current && staleKillAsked.getOrDefault(attemptId, 0L) + 5_000 < now) {
                    staleKillAsked.put(attemptId, now);
                    kills.add(new SchedulingState.Kill(node.name(), attemptId));
                    LOG.info("stale attempt killed attempt={} node={}", attemptId, node.name());
                }
            }
            if (!kills.isEmpty()) {
                dispatcher.kill(kills, Map.of(node.name(), node));
            }
            staleKillAsked.values().removeIf(asked -> asked + 60_000 < now);
        }

        /** Requeues the attempts a live node does not run (dispatch lost, or report lost with a dead leader). */
        private void reapLostAttempts(String node, long now) {
            for (TaskRecord task : lostAttempts.lost(state.onNode(node), watch.heardAt(node))) {
                state.attemptLost(task.taskId(), task.attemptId(), "node " + node + " does not run this attempt"
                        + " (its dispatch or its report was lost)", now);
                LOG.warn("attempt lost, requeued task={} attempt={} node={}", task.taskId(), task.attemptId(), node);
            }
        }

        private void changeState(NodeRecord node, NodeHealth.Verdict verdict, long now) {
            nodes.executeOnKey(node.name(), new NodeRegistry.SetState(node.memberUuid(), verdict.state()));
            int requeued = 0;
            if (node.state().isMember() && !verdict.state().isMember()) {
                requeued = state.nodeLost(node.name(), now).size();
            }
            LOG.info("node state changed node={} role={} from={} to={} reason={} requeuedTasks={}", node.name(),
                    node.role(), node.state(), verdict.state(), verdict.reason(), requeued);
        }

        void dispatchFailed(Dispatcher.Failure failure) {
            long now = clock.millis();
            unavailableUntil.put(failure.node(), now + DISPATCH_BACKOFF.toMillis());
            for (TaskRecord task : failure.tasks()) {
                state.attemptLost(task.taskId(), task.attemptId(), "dispatch to " + failure.node() + " failed: "
                        + failure.why(), now);
            }
            LOG.warn("dispatch failed node={} tasks={} reason={}", failure.node(), failure.tasks().size(),
                    failure.why());
        }

        void nodeSeen(NodeRecord node) {
            long now = clock.millis();
            watch.heard(node, now);
            if (watch.heardAt(node.name()) == now) {
                lostAttempts.listed(node.runningAttempts(), now);
            }
            NodeRecord known = agents.get(node.name());
            boolean changed = known == null ? node.state() != NodeState.OFFLINE && NodeRecord.AGENT.equals(node.role())
                    : !known.memberUuid().equals(node.memberUuid()) || known.state() != node.state()
                            // a paused node must get nothing new from the next round on, not a second later
                            || !known.unavailableReason().equals(node.unavailableReason());
            if (changed) {
                refreshNodes(true);
            }
        }

        void memberLeft(UUID uuid) {
            refreshNodes(true);
        }
    }

    /** Agents the registry shows online whose member is not in the cluster (any more, or not yet again). */
    private Set<String> agentsOnlineButGone() {
        Set<UUID> live = liveMemberUuids();
        Set<String> gone = new HashSet<>();
        for (NodeRecord node : nodes.values()) {
            if (NodeRecord.AGENT.equals(node.role()) && node.online()
                    && !live.contains(UUID.fromString(node.memberUuid()))) {
                gone.add(node.name());
            }
        }
        return gone;
    }

    private Set<UUID> liveMemberUuids() {
        Set<UUID> uuids = new HashSet<>();
        for (Member member : hz.getCluster().getMembers()) {
            uuids.add(member.getUuid());
        }
        return uuids;
    }

    @Override
    public void close() {
        running = false;
        wake();
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
