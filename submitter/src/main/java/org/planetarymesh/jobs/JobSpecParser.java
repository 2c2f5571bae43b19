package org.planetarymesh.jobs;

import java.nio.file.Path;
import org.planetarymesh.submitter.JobSpec;

/** Reads job specs from YAML or JSON and validates them. (Stub: being written.) */
public final class JobSpecParser {
    private JobSpecParser() {
    }

    public static JobSpec parse(String yamlOrJson) {
        throw new UnsupportedOperationException("not yet");
    }

    public static JobSpec read(Path file) {
        throw new UnsupportedOperationException("not yet");
    }

    public static String toJson(JobSpec spec) {
        throw new UnsupportedOperationException("not yet");
    }

    public static JobSpec validate(JobSpec spec) {
        throw new UnsupportedOperationException("not yet");
    }
}
