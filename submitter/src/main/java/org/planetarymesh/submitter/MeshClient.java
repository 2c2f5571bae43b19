package org.planetarymesh.submitter;

import java.util.List;
import org.planetarymesh.submitter.internal.HazelcastMeshClient;

/**
 * The entry point for applications: connect to a mesh, submit jobs, follow them, list nodes.
 *
 * <pre>{@code
 * try (MeshClient mesh = MeshClient.connect(MeshClientOptions.localMesh())) {
 *     JobHandle job = mesh.submit(JobSpec.read(Path.of("sweep.yaml")));
 *     job.await(Duration.ofMinutes(5));
 *     job.results().outputs().forEach(System.out::println);
 * }
 * }</pre>
 */
public interface MeshClient extends AutoCloseable {

    /** Connects to the mesh at the given coordinators; throws {@link MeshException} if none answers in time. */
    static MeshClient connect(MeshClientOptions options) {
        return HazelcastMeshClient.connect(options);
    }

    /** Validates the spec and stores the job; once this returns, the mesh will not lose it. */
    JobHandle submit(JobSpec spec);

    /** A handle on an existing job; throws {@link MeshException} if no job has that id. */
    JobHandle job(String jobId);

    /** Every job the mesh knows, newest first. */
    List<JobStatus> jobs();

    /** Every node in the registry, online ones first, then by name. */
    List<NodeInfo> nodes();

    /**
     * Blocks a node: every member refuses its certificate from now on and closes its connections within
     * seconds; its running tasks are requeued elsewhere. Blocking a blocked node keeps the first entry.
     *
     * @throws MeshException if no node of that name is in the registry
     */
    BlockedNode block(String node, String reason);

    /**
     * Lifts a block; the node may connect again.
     *
     * @throws MeshException if the node is not blocked
     */
    BlockedNode unblock(String node);

    /** The deny list, by name. */
    List<BlockedNode> blocked();

    /** Disconnects; jobs keep running. */
    @Override
    void close();
}
