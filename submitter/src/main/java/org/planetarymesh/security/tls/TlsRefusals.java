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
    /** Every refusal ever recorded, so a caller can ask for those after a mark even once old ones are dropped. */
    private static long total;

    private TlsRefusals() {
    }

    static void record(String line) {
        synchronized (RECENT) {
            if (RECENT.size() == KEEP) {
                RECENT.removeFirst();
            }
            RECENT.addLast(line);
            total++;
        }
    }

    /** A mark for {@link #since}: how many refusals were recorded so far. */
    static long mark() {
        synchronized (RECENT) {
            return total;
        }
    }

    /** The refusals recorded after {@code mark} that are still kept (the newest {@value #KEEP} at most). */
    static List<String> since(long mark) {
        synchronized (RECENT) {
            int newer = (int) Math.min(RECENT.size(), Math.max(0, total - mark));
            List<String> all = List.copyOf(RECENT);
            return all.subList(all.size() - newer, all.size());
        }
    }

}
