package org.planetarymesh.owner;

/** What the owner may ask of the agent over its control channel; each answer is the status after the request. */
public interface OwnerControl {
    /** "Not now": no new work, running tasks suspended at once (evicted if the pause outlasts the grace). */
    OwnerStatus pause();

    /** Takes the pause away; with {@code --when-idle} the idle rule still decides when work comes. */
    OwnerStatus resume();

    OwnerStatus status();
}
