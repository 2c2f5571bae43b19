package org.planetarymesh.submitter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.planetarymesh.jobs.JobSpecParser;

/**
 * What a researcher asks the mesh to run: one command, run once per point of the parameter sweep.
 *
 * <p>{@code {x}} in the command or an environment value is replaced by the value of parameter {@code x}
 * for each task; the tasks are the cartesian product of the parameter values, first parameter outermost.
 * Inline {@code files} (e.g. the script itself) are written into each task's fresh working directory.
 *
 * @param name        a short name for people (letters, digits, {@code . _ -})
 * @param command     the argv of the task process; the first element is the program
 * @param files       inline files by relative path to their text
 * @param env         extra environment variables of the task process
 * @param params      parameter name to its values, in sweep order (ranges like "1..10" already expanded)
 * @param timeout     wall-clock limit of one attempt; the process tree is killed past it
 * @param maxAttempts how many attempts a task gets before it stays FAILED
 * @param priority    higher runs first
 * @param labels      labels a node must carry to run this job's tasks
 * @param maxFailedTasks how many tasks may end failed (FAILED, TIMED_OUT or LOST) before the mesh stops the job:
 *                    its other tasks are cancelled and it ends FAILED; 0 fails fast; null runs every task
 * @param resources   what each task may use (cpus, memory, disk, processes); the scheduler places a task only
 *                    where that much is free, the node's sandbox enforces it
 * @param network     whether the tasks may use the network; {@code NONE} runs them only on nodes that can cut it
 * @param requires    protections a node's sandbox must give each task (see {@link #requiredProtections()})
 */
public record JobSpec(String name, List<String> command, Map<String, String> files, Map<String, String> env,
                      Map<String, List<String>> params, Duration timeout, int maxAttempts, int priority,
                      Set<String> labels, Integer maxFailedTasks, Resources resources, NetworkAccess network,
                      Set<Protection> requires) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    public JobSpec {
        command = List.copyOf(command);
        files = Map.copyOf(files);
        env = Map.copyOf(env);
        params = copyOrdered(params);
        labels = Set.copyOf(labels);
        resources = resources == null ? Resources.DEFAULT : resources;
        network = network == null ? NetworkAccess.ALLOWED : network;
        requires = requires == null ? Set.of() : Set.copyOf(requires);
    }

    /**
     * The protections a node must offer to run this job's tasks: {@code requires}, plus {@code no-network} when
     * {@code network} is {@code NONE} (a node that cannot cut the network must not get such a task at all).
     */
    public Set<Protection> requiredProtections() {
        if (network != NetworkAccess.NONE || requires.contains(Protection.NO_NETWORK)) {
            return requires;
        }
        Set<Protection> all = EnumSet.of(Protection.NO_NETWORK);
        all.addAll(requires);
        return Set.copyOf(all);
    }

    private static Map<String, List<String>> copyOrdered(Map<String, List<String>> params) {
        var copy = new LinkedHashMap<String, List<String>>();
        params.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return java.util.Collections.unmodifiableMap(copy);
    }

    /** Parses and validates a spec in YAML or JSON; throws {@link InvalidJobSpecException} naming each bad field. */
    public static JobSpec parse(String yamlOrJson) {
        return JobSpecParser.parse(yamlOrJson);
    }

    /** Reads, parses and validates a spec file in YAML or JSON. */
    public static JobSpec read(Path file) {
        return JobSpecParser.read(file);
    }

    /** The same spec as canonical JSON (what the mesh stores). */
    public String toJson() {
        return JobSpecParser.toJson(this);
    }

    /** Starts a spec in code; {@link Builder#build()} validates it like {@link #parse}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a {@link JobSpec} in code. */
    public static final class Builder {
        private final String name;
        private final List<String> command = new ArrayList<>();
        private final Map<String, String> files = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, List<String>> params = new LinkedHashMap<>();
        private final Set<String> labels = new LinkedHashSet<>();
        private Duration timeout = DEFAULT_TIMEOUT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private int priority;
        private Integer maxFailedTasks;
        private Resources resources = Resources.DEFAULT;
        private NetworkAccess network = NetworkAccess.ALLOWED;
        private final Set<Protection> requires = EnumSet.noneOf(Protection.class);

        private Builder(String name) {
            this.name = name;
        }

        public Builder command(String... argv) {
            command.clear();
            command.addAll(List.of(argv));
            return this;
        }

        public Builder file(String relativePath, String content) {
            files.put(relativePath, content);
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Builder param(String paramName, List<?> values) {
            params.put(paramName, values.stream().map(String::valueOf).toList());
            return this;
        }

        public Builder timeout(Duration value) {
            timeout = value;
            return this;
        }

        public Builder maxAttempts(int value) {
            maxAttempts = value;
            return this;
        }

        public Builder priority(int value) {
            priority = value;
            return this;
        }

        public Builder label(String label) {
            labels.add(label);
            return this;
        }

        /** Stops the job once more than {@code value} tasks failed; 0 fails fast. */
        public Builder maxFailedTasks(int value) {
            maxFailedTasks = value;
            return this;
        }

        /** What each task may use; {@link Resources#DEFAULT} unless told. */
        public Builder resources(Resources value) {
            resources = value;
            return this;
        }

        /** {@code NONE} cuts the tasks off the network (and needs nodes that offer {@code no-network}). */
        public Builder network(NetworkAccess value) {
            network = value;
            return this;
        }

        /** Protections a node must give each task. */
        public Builder requires(Protection... protections) {
            requires.addAll(List.of(protections));
            return this;
        }

        public JobSpec build() {
            return JobSpecParser.validate(new JobSpec(name, command, files, env, params, timeout, maxAttempts,
                    priority, labels, maxFailedTasks, resources, network, requires));
        }
    }
}
