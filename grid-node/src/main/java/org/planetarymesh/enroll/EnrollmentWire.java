package org.planetarymesh.enroll;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/** One JSON object per line, both ways, with a bound on its size and on the time it may take to arrive. */
final class EnrollmentWire {
    /** Requests and responses are a CSR or two certificates in PEM: a few KiB. Anything larger is refused. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;
    static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            // A newer peer may add fields; this side reads the ones it knows.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The line was longer than {@link #MAX_MESSAGE_BYTES}. */
    static final class TooLargeException extends IOException {
        TooLargeException() {
            super("message larger than " + MAX_MESSAGE_BYTES / 1024 + " KiB");
        }
    }

    private EnrollmentWire() {
    }

    /** One write, so one TLS record: a separate newline record would wait for a delayed ACK (Nagle). */
    static void write(OutputStream out, Object message) throws IOException {
        byte[] json = JSON.writeValueAsBytes(message);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        out.write(line);
        out.flush();
    }

    /**
     * The next line without its newline; each read is bounded by the socket's timeout, the whole line by
     * {@code deadline} (measured with {@code System.nanoTime()}, so a peer that trickles a byte per timeout
     * cannot hold a worker for ever).
     */
    static byte[] readLine(InputStream in, long deadlineNanos) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new SocketTimeoutException("no complete message in time");
            }
            int read = in.read(buffer);
            if (read < 0) {
                return line.toByteArray(); // the peer closed: whatever came is the message
            }
            for (int i = 0; i < read; i++) {
                if (buffer[i] == '\n') {
                    line.write(buffer, 0, i);
                    requireWithinLimit(line);
                    return line.toByteArray();
                }
            }
            line.write(buffer, 0, read);
            requireWithinLimit(line);
        }
    }

    private static void requireWithinLimit(ByteArrayOutputStream line) throws TooLargeException {
        if (line.size() > MAX_MESSAGE_BYTES) {
            throw new TooLargeException();
        }
    }

    static long deadline(Duration fromNow) {
        return System.nanoTime() + fromNow.toNanos();
    }
}
