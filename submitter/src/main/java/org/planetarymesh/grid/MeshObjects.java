package org.planetarymesh.grid;

/**
 * The names of every distributed object of the mesh, in one place and with one prefix, so that a
 * newcomer can see the whole data model at a glance and config (backups, split-brain protection,
 * persistence) can match them by pattern.
 */
public final class MeshObjects {
    public static final String PREFIX = "mesh.";

    /** Job id to {@code JobRecord}. */
    public static final String JOBS = PREFIX + "jobs";
    /** Task id ({@code jobId/index}) to {@code TaskRecord}. */
    public static final String TASKS = PREFIX + "tasks";
    /** Node name to {@code NodeRecord}. */
    public static final String NODES = PREFIX + "nodes";
    /** Node name to {@code BlockRecord}: the deny list every member enforces. */
    public static final String BLOCKED = PREFIX + "blocked";
    /** The member attribute that carries the node's name, so a member can be found by the name admins use. */
    public static final String NODE_NAME_ATTRIBUTE = "mesh.node";
    /** The leader lock and its epoch. */
    public static final String LEADER = PREFIX + "leader";
    /** Job ids waiting for the scheduler to create their tasks. */
    public static final String SUBMISSIONS = PREFIX + "submissions";
    /** Job ids whose cancellation the scheduler has not handled yet. */
    public static final String CANCELLATIONS = PREFIX + "cancellations";
    /** What agents report about task attempts ({@code TaskReport}), drained by the scheduler in batches. */
    public static final String REPORTS = PREFIX + "reports";
    /** The executor that carries batches of task attempts to agents. */
    public static final String DISPATCH = PREFIX + "dispatch";

    private MeshObjects() {
    }
}
