package org.planetarymesh.shell;

import java.io.PrintWriter;

/**
 * Where commands write: {@code out} for results (the terminal, so it interleaves with Spring Shell's own
 * output), {@code err} for error lines (so {@code mesh jobs --json | jq} never sees them).
 */
public record Console(PrintWriter out, PrintWriter err) {

    public void println(String line) {
        out.println(line);
        out.flush();
    }

    public void error(String line) {
        err.println(line);
        err.flush();
    }
}
