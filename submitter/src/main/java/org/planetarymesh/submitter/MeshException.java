package org.planetarymesh.submitter;

/** The one error type of the submitter API: something the mesh refused or could not do. */
public class MeshException extends RuntimeException {
    public MeshException(String message) {
        super(message);
    }

    public MeshException(String message, Throwable cause) {
        super(message, cause);
    }
}
