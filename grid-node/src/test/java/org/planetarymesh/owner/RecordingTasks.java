package org.planetarymesh.owner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Running tasks as counters, recording what the owner watch asked of them; for the owner package's tests. */
final class RecordingTasks implements OwnerWatch.RunningTasks {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    volatile int running;
    volatile int suspended;
    volatile boolean failNext;

    @Override
    public int running() {
        return running;
    }

    @Override
    public int suspended() {
        return suspended;
    }

    @Override
    public int suspendAll() {
        if (failNext) {
            failNext = false;
            throw new IllegalStateException("kill: operation not permitted");
        }
        calls.add("suspend");
        suspended += running;
        running = 0;
        return suspended;
    }

    @Override
    public int resumeAll() {
        calls.add("resume");
        int resumed = suspended;
        running += suspended;
        suspended = 0;
        return resumed;
    }

    @Override
    public int evictAll(String reason) {
        calls.add("evict: " + reason);
        int evicted = running + suspended;
        running = 0;
        suspended = 0;
        return evicted;
    }
}
