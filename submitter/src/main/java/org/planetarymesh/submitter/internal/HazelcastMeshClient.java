package org.planetarymesh.submitter.internal;

import org.planetarymesh.submitter.MeshClient;
import org.planetarymesh.submitter.MeshClientOptions;

/** The submitter on a Hazelcast client. (Stub: being written.) */
public final class HazelcastMeshClient {
    private HazelcastMeshClient() {
    }

    public static MeshClient connect(MeshClientOptions options) {
        throw new UnsupportedOperationException("not yet");
    }
}
