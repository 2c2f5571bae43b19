package org.planetarymesh.security.tls;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;

/**
 * Why an engine's peer certificate was refused, kept for the log line. The refusal surfaces as an exception in
 * whichever pipeline touches the engine next; the other one only finds the engine closed, and when it gets there
 * first the reason would otherwise be lost. Weak keys: an engine's entry goes with it.
 */
final class CertificateFailures {
    private static final Map<SSLEngine, String> FAILURES = Collections.synchronizedMap(new WeakHashMap<>());

    private CertificateFailures() {
    }

    static void record(SSLEngine engine, String reason) {
        if (engine != null) {
            FAILURES.put(engine, reason);
        }
    }

    /** The recorded reason, or null. */
    static String of(SSLEngine engine) {
        return FAILURES.get(engine);
    }
}
