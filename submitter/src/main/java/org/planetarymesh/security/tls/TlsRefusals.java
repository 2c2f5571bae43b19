package org.planetarymesh.security.tls;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The last refusals of TLS connections in this JVM, newest last, as logged (bounded). Kept for tests and,
 * later, for metrics and the shell; the log stays the record.
 */
final class TlsRefusals {

    private static final int KEEP = 100;
    private static final Deque<String> RECENT = new ArrayDeque<>();

    private TlsRefusals() {
    }

    static void record(String line) {
        synchronized (RECENT) {
            if (RECENT.size() == KEEP) {
                RECENT.removeFirst();
            }
            RECENT.addLast(line);
        }
    }

    static List<String> recent() {
        synchronized (RECENT) {
            return List.copyOf(RECENT);
        }
    }
}
