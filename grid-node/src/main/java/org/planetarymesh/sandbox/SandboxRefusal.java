package org.planetarymesh.sandbox;

/** This node cannot run an attempt the way its job asks (e.g. {@code network: none} without namespaces). */
public final class SandboxRefusal extends Exception {
    public SandboxRefusal(String message) {
        super(message, null, false, false); // an expected condition: no stack trace
    }
}
