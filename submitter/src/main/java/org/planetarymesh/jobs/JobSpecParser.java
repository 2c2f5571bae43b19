package org.planetarymesh.jobs;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.planetarymesh.jobs.JobSpecRules.Draft;
import org.planetarymesh.jobs.JobSpecRules.ResourcesDraft;
import org.planetarymesh.jobs.SpecTree.ListNode;
import org.planetarymesh.jobs.SpecTree.MapNode;
import org.planetarymesh.jobs.SpecTree.Node;
import org.planetarymesh.jobs.SpecTree.Scalar;
import org.planetarymesh.submitter.InvalidJobSpecException;
import org.planetarymesh.submitter.InvalidJobSpecException.FieldError;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Protection;
import org.planetarymesh.submitter.Resources;

/**
 * Reads job specs from YAML or JSON, validates them and writes them as canonical JSON.
 *
 * <p>The fields, one spelling each (camelCase):
 * <pre>
 * name: my-sweep                 # required; letters, digits, . _ -
 * command: [sh, work.sh, '{x}']  # required; a list, {param} is replaced per task
 * files: {work.sh: "echo $1"}    # inline files by relative path
 * env: {THREADS: 4}              # numbers and booleans become strings
 * params:                        # in sweep order, first outermost
 *   x: 1..10                     # integers, inclusive; 0..100:5 steps by 5
 *   y: [a, b, 1.50]              # values as written; '1..3' inside a list is a plain value
 *   z: 7                         # one value
 * timeout: 1h30m                 # 90s, 5m, 250ms, 2d, PT5M, or whole seconds; default 1h
 * maxAttempts: 3                 # 1..20
 * priority: 0                    # -1000..1000, higher first
 * labels: [gpu]                  # a node must carry all of them
 * maxFailedTasks: 0              # stop the job after more failed tasks than this (0: fail fast); default: none
 * resources:                     # what each task may use; every field optional, defaults as shown
 *   cpus: 1                      # cores: 0.5, 2, or millicores '500m'; 0.001..1024
 *   memory: 512MiB               # 4 MiB..16 TiB; whole bytes, or a number and a unit (see below)
 *   disk: 1GiB                   # work-directory space; 1 MiB..1 PiB
 *   processes: 256               # processes and threads at once; 1..100000
 * network: allowed               # allowed or none (none: only nodes that offer no-network)
 * requires: [memory-limit]       # protections a node's sandbox must give each task: memory-limit, cpu-limit,
 *                                # cpu-time-limit, process-limit, disk-limit, no-network,
 *                                # filesystem-isolation, pid-isolation, separate-user
 * </pre>
 * Sizes are case-insensitive, with or without a space: {@code B}; SI {@code KB MB GB TB} (powers of 1000);
 * binary {@code KiB MiB GiB TiB} and {@code Ki Mi Gi Ti}; and the short {@code K M G T}, which are binary as in
 * {@code docker --memory} and {@code java -Xmx} ({@code 512M} is 512 MiB). See {@link Sizes}.
 * A spec stored before {@code resources}, {@code network} and {@code requires} existed reads with their defaults.
 *
 * Every problem found is reported, each with the path of its field, in one {@link InvalidJobSpecException}.
 * Thread-safe: the Jackson factories are shared and hold no per-call state.
 */
public final class JobSpecParser {
    static final List<String> FIELDS = List.of("name", "command", "files", "env", "params", "timeout",
            "maxAttempts", "priority", "labels", "maxFailedTasks", "resources", "network", "requires");
    static final List<String> RESOURCE_FIELDS = List.of("cpus", "memory", "disk", "processes");

    /** Names people reach for from other tools, to the field they mean. */
    private static final Map<String, String> SYNONYMS = Map.ofEntries(
            Map.entry("cmd", "command"), Map.entry("args", "command"), Map.entry("argv", "command"),
            Map.entry("environment", "env"), Map.entry("parameters", "params"), Map.entry("sweep", "params"),
            Map.entry("matrix", "params"), Map.entry("retries", "maxAttempts"), Map.entry("tags", "labels"), Map.entry("failFast", "maxFailedTasks"),
            Map.entry("maxFailures", "maxFailedTasks"), Map.entry("limits", "resources"),
            Map.entry("networking", "network"), Map.entry("protections", "requires"),
            Map.entry("requirements", "requires"));

    /** Names people write inside {@code resources}, to the field they mean. */
    private static final Map<String, String> RESOURCE_SYNONYMS = Map.of("cpu", "cpus", "cores", "cpus",
            "mem", "memory", "ram", "memory", "storage", "disk", "pids", "processes", "procs", "processes");

    private static final Pattern MILLICORES = Pattern.compile("\\s*(\\d+)\\s*m\\s*");
    private static final Pattern DECIMAL = Pattern.compile("\\s*[+-]?(\\d+(\\.\\d*)?|\\.\\d+)\\s*");

    private static final String COMMAND_EXAMPLE = "e.g. [python3, sweep.py, '{x}']";
    private static final Pattern RANGE =
            Pattern.compile("\\s*([+-]?\\d+)\\s*\\.\\.\\s*([+-]?\\d+)\\s*(?::\\s*([+-]?\\d+)\\s*)?");

    private JobSpecParser() {
    }

    /** Parses and validates a spec in YAML or JSON; throws {@link InvalidJobSpecException} naming each bad field. */
    public static JobSpec parse(String yamlOrJson) {
        Objects.requireNonNull(yamlOrJson, "yamlOrJson");
        List<FieldError> errors = new ArrayList<>();
        Node root = SpecTree.read(yamlOrJson, errors);
        if (root == null) {
            throw new InvalidJobSpecException(errors);
        }
        if (!(root instanceof MapNode document)) {
            errors.add(new FieldError(SpecTree.DOCUMENT, "must be a mapping of fields (name, command, ...), found "
                    + SpecTree.describe(root)));
            throw new InvalidJobSpecException(errors);
        }
        Draft draft = new Reader(document.fields(), errors).draft();
        JobSpecRules.check(draft, errors);
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        ResourcesDraft r = draft.resources();
        return new JobSpec(draft.name(), draft.command(), draft.files(), draft.env(), draft.params(),
                draft.timeout(), draft.maxAttempts(), draft.priority(), new TreeSet<>(draft.labels()),
                draft.maxFailedTasks(), new Resources(r.cpus(), r.memoryBytes(), r.diskBytes(), r.processes()),
                draft.network(), draft.requires());
    }

    /** Reads a UTF-8 file and parses it; a file that cannot be read is reported as field {@code (file)}. */
    public static JobSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw fileError(file, "no such file");
        } catch (AccessDeniedException e) {
            throw fileError(file, "permission denied");
        } catch (MalformedInputException e) {
            throw fileError(file, "it is not UTF-8 text");
        } catch (IOException e) {
            throw fileError(file, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return parse(text);
    }

    private static InvalidJobSpecException fileError(Path file, String why) {
        return new InvalidJobSpecException(List.of(new FieldError("(file)", "cannot read " + file + ": " + why)));
    }

    /**
     * The spec as canonical JSON: fields in declaration order, all of them present, params in sweep order,
     * files, env, labels and requires sorted, timeout as ISO-8601 ({@code "PT1M"}), memory and disk in bytes,
     * network in lower case. {@code parse(toJson(spec))} equals
     * {@code spec}.
     */
    public static String toJson(JobSpec spec) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = SpecTree.JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("name", spec.name());
            writeStrings(json, "command", spec.command());
            writeSorted(json, "files", spec.files());
            writeSorted(json, "env", spec.env());
            json.writeObjectFieldStart("params");
            for (Map.Entry<String, List<String>> param : spec.params().entrySet()) {
                writeStrings(json, param.getKey(), param.getValue());
            }
            json.writeEndObject();
            json.writeStringField("timeout", spec.timeout() == null ? null : spec.timeout().toString());
            json.writeNumberField("maxAttempts", spec.maxAttempts());
            json.writeNumberField("priority", spec.priority());
            writeStrings(json, "labels", new TreeSet<>(spec.labels()));
            if (spec.maxFailedTasks() == null) {
                json.writeNullField("maxFailedTasks");
            } else {
                json.writeNumberField("maxFailedTasks", spec.maxFailedTasks());
            }
            json.writeObjectFieldStart("resources");
            json.writeNumberField("cpus", spec.resources().cpus());
            json.writeNumberField("memory", spec.resources().memoryBytes());
            json.writeNumberField("disk", spec.resources().diskBytes());
            json.writeNumberField("processes", spec.resources().processes());
            json.writeEndObject();
            json.writeStringField("network", spec.network().name().toLowerCase(Locale.ROOT));
            writeStrings(json, "requires", spec.requires().stream().map(Protection::wireName)
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a StringWriter failed", e);
        }
        return out.toString();
    }

    private static void writeStrings(JsonGenerator json, String field, Collection<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static void writeSorted(JsonGenerator json, String field, Map<String, String> map) throws IOException {
        json.writeObjectFieldStart(field);
        for (Map.Entry<String, String> entry : new TreeMap<>(map).entrySet()) {
            json.writeStringField(entry.getKey(), entry.getValue());
        }
        json.writeEndObject();
    }

    /** Checks a spec built in code by the rules {@link #parse} applies; returns it when valid. */
    public static JobSpec validate(JobSpec spec) {
        Objects.requireNonNull(spec, "spec");
        List<FieldError> errors = new ArrayList<>();
        if (spec.name() == null) {
            errors.add(new FieldError("name", "is required"));
        }
        if (spec.timeout() == null) {
            errors.add(new FieldError("timeout", "is required"));
        }
        JobSpecRules.check(new Draft(spec.name(), spec.command(), spec.files(), spec.env(), spec.params(),
                spec.timeout(), spec.maxAttempts(), spec.priority(), List.copyOf(new TreeSet<>(spec.labels())),
                false, spec.maxFailedTasks(), new ResourcesDraft(spec.resources().cpus(),
                        spec.resources().memoryBytes(), spec.resources().diskBytes(), spec.resources().processes()),
                spec.network(), spec.requires()), errors);
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return spec;
    }

    /** The errors grouped by field, fields in declaration order, unknown fields first; stable within a field. */
    private static InvalidJobSpecException invalid(List<FieldError> errors) {
        List<FieldError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparingInt(error -> FIELDS.indexOf(rootField(error.field()))));
        return new InvalidJobSpecException(sorted);
    }

    private static String rootField(String path) {
        int end = path.length();
        for (char separator : new char[] {'.', '['}) {
            int at = path.indexOf(separator);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        return path.substring(0, end);
    }

    /** Why {@code field} is unknown, with the known field it most likely means. */
    static String unknownField(String field) {
        return suggestion(field)
                .map(known -> "unknown field '" + field + "'; did you mean '" + known + "'?")
                .orElse("unknown field '" + field + "'; the fields are " + String.join(", ", FIELDS));
    }

    private static Optional<String> suggestion(String field) {
        String folded = fold(field);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        List<String> candidates = new ArrayList<>(FIELDS);
        candidates.addAll(SYNONYMS.keySet());
        for (String candidate : candidates) {
            int distance = editDistance(folded, fold(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int allowed = Math.max(1, best.length() / 3);
        return bestDistance <= allowed ? Optional.of(SYNONYMS.getOrDefault(best, best)) : Optional.empty();
    }

    /** Lower case without '-' and '_', so max-attempts, max_attempts and MaxAttempts all fold to one. */
    private static String fold(String name) {
        return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Turns the document's fields into a {@link Draft}, reporting type errors; null marks a reported field. */
    private static final class Reader {
        private final Map<String, Node> fields;
        private final List<FieldError> errors;

        Reader(Map<String, Node> fields, List<FieldError> errors) {
            this.fields = fields;
            this.errors = errors;
        }

        Draft draft() {
            for (String field : fields.keySet()) {
                if (!FIELDS.contains(field)) {
                    errors.add(new FieldError(field, unknownField(field)));
                }
            }
            return new Draft(name(), command(), stringMap("files", "a mapping of relative path to text, "
                            + "e.g. {work.sh: 'echo hi'}", "has no text; use '' for an empty file"),
                    stringMap("env", "a mapping of variable name to value, e.g. {OMP_NUM_THREADS: 4}",
                            "has no value; use '' for an empty value"),
                    params(), timeout(), integer("maxAttempts", JobSpec.DEFAULT_MAX_ATTEMPTS,
                            JobSpecRules.MIN_ATTEMPTS, JobSpecRules.MAX_ATTEMPTS),
                    integer("priority", 0, JobSpecRules.MIN_PRIORITY, JobSpecRules.MAX_PRIORITY), labels(), true,
                    optionalInteger("maxFailedTasks", 0, JobSpecRules.MAX_FAILED_TASKS), resources(), network(),
                    requires());
        }

        private ResourcesDraft resources() {
            Resources defaults = Resources.DEFAULT;
            Node node = fields.get("resources");
            if (isAbsent(node)) {
                return new ResourcesDraft(defaults.cpus(), defaults.memoryBytes(), defaults.diskBytes(),
                        defaults.processes());
            }
            if (!(node instanceof MapNode map)) {
                error("resources", "must be a mapping such as {cpus: 0.5, memory: 256MiB, disk: 1GiB, processes: 64}"
                        + "; found " + SpecTree.describe(node));
                return null;
            }
            for (String field : map.fields().keySet()) {
                if (!RESOURCE_FIELDS.contains(field)) {
                    String meant = RESOURCE_SYNONYMS.get(field.toLowerCase(Locale.ROOT));
                    error("resources." + field, meant != null
                            ? "unknown field '" + field + "'; did you mean '" + meant + "'?"
                            : "unknown field '" + field + "'; the fields are " + String.join(", ", RESOURCE_FIELDS));
                }
            }
            // Not ternaries: mixing a boxed null with a primitive default would unbox it.
            Map<String, Node> r = map.fields();
            Double cpus = defaults.cpus();
            Long memory = defaults.memoryBytes();
            Long disk = defaults.diskBytes();
            Integer processes = defaults.processes();
            if (r.containsKey("cpus")) {
                cpus = cpus(r.get("cpus"));
            }
            if (r.containsKey("memory")) {
                memory = size("resources.memory", r.get("memory"));
            }
            if (r.containsKey("disk")) {
                disk = size("resources.disk", r.get("disk"));
            }
            if (r.containsKey("processes")) {
                processes = processes(r.get("processes"));
            }
            return new ResourcesDraft(cpus, memory, disk, processes);
        }

        private Double cpus(Node node) {
            String forms = "a number of cores such as 0.5 or 2, or millicores such as '500m'";
            if (node instanceof Scalar s && (s.kind() == SpecTree.Kind.INTEGER || s.kind() == SpecTree.Kind.FLOAT
                    || s.kind() == SpecTree.Kind.STRING)) {
                Matcher milli = MILLICORES.matcher(s.text());
                if (s.kind() == SpecTree.Kind.STRING && milli.matches()) {
                    return new java.math.BigDecimal(milli.group(1)).movePointLeft(3).doubleValue();
                }
                if (DECIMAL.matcher(s.text()).matches()) {
                    return new java.math.BigDecimal(s.text().strip()).doubleValue();
                }
                error("resources.cpus", "'" + SpecTree.abbreviate(s.text()) + "' is not a CPU amount; write " + forms);
                return null;
            }
            error("resources.cpus", "must be " + forms + ", found " + SpecTree.describe(node));
            return null;
        }

        private Long size(String field, Node node) {
            if (node instanceof Scalar s && s.kind() == SpecTree.Kind.INTEGER) {
                if (s.integer().bitLength() > 62) {
                    error(field, "'" + SpecTree.abbreviate(s.text()) + "' bytes is out of range; write "
                            + Sizes.FORMS);
                    return null;
                }
                return s.integer().longValue();
            }
            if (node instanceof Scalar s && (s.kind() == SpecTree.Kind.STRING || s.kind() == SpecTree.Kind.FLOAT)) {
                Optional<Long> bytes = Sizes.parse(s.text());
                if (bytes.isEmpty()) {
                    error(field, "'" + SpecTree.abbreviate(s.text()) + "' is not a size; write " + Sizes.FORMS);
                }
                return bytes.orElse(null);
            }
            if (node instanceof Scalar s && s.isNull()) {
                error(field, "has no value; write a size, " + Sizes.FORMS + ", or remove it for the default");
                return null;
            }
            error(field, "must be a size, " + Sizes.FORMS + "; found " + SpecTree.describe(node));
            return null;
        }

        private Integer processes(Node node) {
            String field = "resources.processes";
            String range = JobSpecRules.MIN_PROCESSES + " to " + JobSpecRules.MAX_PROCESSES;
            if (node instanceof Scalar s && s.kind() == SpecTree.Kind.INTEGER) {
                if (s.integer().bitLength() > 31) {
                    error(field, "must be between " + JobSpecRules.MIN_PROCESSES + " and "
                            + JobSpecRules.MAX_PROCESSES + ", found " + s.text());
                    return null;
                }
                return s.integer().intValue();
            }
            error(field, "must be a whole number from " + range + ", found " + SpecTree.describe(node));
            return null;
        }

        private NetworkAccess network() {
            Node node = fields.get("network");
            if (isAbsent(node)) {
                return NetworkAccess.ALLOWED;
            }
            if (node instanceof Scalar s && s.kind() == SpecTree.Kind.STRING) {
                for (NetworkAccess access : NetworkAccess.values()) {
                    if (access.name().equalsIgnoreCase(s.text().strip())) {
                        return access;
                    }
                }
            }
            error("network", "must be 'allowed' or 'none', found " + SpecTree.describe(node));
            return null;
        }

        private Set<Protection> requires() {
            Node node = fields.get("requires");
            if (isAbsent(node)) {
                return Set.of();
            }
            if (!(node instanceof ListNode list)) {
                error("requires", "must be a list of protections, e.g. [memory-limit, no-network]; found "
                        + SpecTree.describe(node));
                return null;
            }
            Set<Protection> protections = EnumSet.noneOf(Protection.class);
            List<String> names = strings("requires", list);
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (name == null) {
                    continue;
                }
                Optional<Protection> known = Protection.ofWireName(name.strip());
                if (known.isPresent()) {
                    protections.add(known.get());
                } else {
                    error("requires[" + i + "]", "unknown protection '" + SpecTree.abbreviate(name)
                            + "'; the protections are " + Arrays.stream(Protection.values())
                            .map(Protection::wireName).collect(java.util.stream.Collectors.joining(", ")));
                }
            }
            return protections;
        }

        private void error(String field, String message) {
            errors.add(new FieldError(field, message));
        }

        private static boolean isAbsent(Node node) {
            return node == null || node instanceof Scalar s && s.isNull();
        }

        private String name() {
            Node node = fields.get("name");
            if (isAbsent(node)) {
                error("name", "is required, e.g. name: my-sweep");
                return null;
            }
            if (node instanceof Scalar s) {
                return s.text();
            }
            error("name", "must be a string, found " + SpecTree.describe(node));
            return null;
        }

        private List<String> command() {
            Node node = fields.get("command");
            if (isAbsent(node)) {
                error("command", "is required: a list of strings, " + COMMAND_EXAMPLE);
                return null;
            }
            if (!(node instanceof ListNode list)) {
                error("command", "must be a list of strings, " + COMMAND_EXAMPLE + "; found "
                        + SpecTree.describe(node));
                return null;
            }
            return strings("command", list);
        }

        private List<String> labels() {
            Node node = fields.get("labels");
            if (isAbsent(node)) {
                return List.of();
            }
            if (!(node instanceof ListNode list)) {
                error("labels", "must be a list of strings, e.g. [gpu, linux]; found " + SpecTree.describe(node));
                return null;
            }
            return strings("labels", list);
        }

        /** The list's scalars as text; a null or nested element is reported and left null. */
        private List<String> strings(String field, ListNode list) {
            List<String> values = new ArrayList<>(list.items().size());
            for (int i = 0; i < list.items().size(); i++) {
                values.add(scalarText(field + "[" + i + "]", list.items().get(i)));
            }
            return values;
        }

        private String scalarText(String field, Node node) {
            if (node instanceof Scalar s && !s.isNull()) {
                return s.text();
            }
            if (node instanceof Scalar) {
                error(field, "is null; write a value (quote 'null' if you mean the word)");
            } else {
                error(field, "must be a single value (string, number or boolean), found " + SpecTree.describe(node));
            }
            return null;
        }

        private Map<String, String> stringMap(String field, String shape, String nullValue) {
            Node node = fields.get(field);
            if (isAbsent(node)) {
                return Map.of();
            }
            if (!(node instanceof MapNode map)) {
                error(field, "must be " + shape + "; found " + SpecTree.describe(node));
                return null;
            }
            Map<String, String> values = new LinkedHashMap<>();
            map.fields().forEach((key, value) -> {
                String path = field + "." + key;
                if (value instanceof Scalar s && s.isNull()) {
                    error(path, nullValue);
                    values.put(key, null);
                } else {
                    values.put(key, scalarText(path, value));
                }
            });
            return values;
        }

        private Map<String, List<String>> params() {
            Node node = fields.get("params");
            if (isAbsent(node)) {
                return Map.of();
            }
            if (!(node instanceof MapNode map)) {
                error("params", "must be a mapping of parameter name to values, e.g. {x: 1..10, y: [a, b]}; "
                        + "found " + SpecTree.describe(node));
                return null;
            }
            Map<String, List<String>> params = new LinkedHashMap<>();
            map.fields().forEach((name, value) -> params.put(name, paramValues("params." + name, value)));
            return params;
        }

        private List<String> paramValues(String field, Node node) {
            if (node instanceof ListNode list) {
                return strings(field, list);
            }
            if (node instanceof MapNode) {
                error(field, "must be a list of values, a range such as 1..10, or a single value; found a mapping");
                return null;
            }
            Scalar scalar = (Scalar) node;
            if (scalar.isNull()) {
                error(field, "has no value; give a list, a range such as 1..10, or a single value");
                return null;
            }
            if (scalar.kind() == SpecTree.Kind.STRING && scalar.text().contains("..")) {
                return range(field, scalar.text());
            }
            return List.of(scalar.text());
        }

        /** The values of {@code FROM..TO} or {@code FROM..TO:STEP}, both ends included when reached. */
        private List<String> range(String field, String text) {
            Matcher m = RANGE.matcher(text);
            if (!m.matches()) {
                error(field, "'" + SpecTree.abbreviate(text) + "' is not a range; write FROM..TO or FROM..TO:STEP "
                        + "with whole numbers, e.g. 1..10 or 0..100:5 (for one value containing '..', "
                        + "put it in a list: ['" + SpecTree.abbreviate(text) + "'])");
                return null;
            }
            BigInteger from = new BigInteger(m.group(1));
            BigInteger to = new BigInteger(m.group(2));
            BigInteger step = m.group(3) == null ? BigInteger.ONE : new BigInteger(m.group(3));
            String shown = from + ".." + to + (m.group(3) == null ? "" : ":" + step);
            if (step.signum() <= 0) {
                error(field, "range " + shown + " has step " + step + "; the step must be at least 1");
                return null;
            }
            if (from.compareTo(to) > 0) {
                error(field, "range " + shown + " counts down; write it as " + to + ".." + from
                        + " (a range goes up from its first number)");
                return null;
            }
            BigInteger count = to.subtract(from).divide(step).add(BigInteger.ONE);
            if (count.compareTo(BigInteger.valueOf(JobSpecRules.MAX_TASKS)) > 0) {
                error(field, "range " + shown + " has " + count + " values; a sweep may have at most "
                        + JobSpecRules.MAX_TASKS + " tasks");
                return null;
            }
            List<String> values = new ArrayList<>(count.intValue());
            for (BigInteger v = from; v.compareTo(to) <= 0; v = v.add(step)) {
                values.add(v.toString());
            }
            return values;
        }

        private Duration timeout() {
            Node node = fields.get("timeout");
            if (node == null) {
                return JobSpec.DEFAULT_TIMEOUT;
            }
            String forms = Durations.FORMS;
            if (node instanceof Scalar s && s.kind() == SpecTree.Kind.INTEGER) {
                if (s.integer().bitLength() > 62) {
                    error("timeout", "is " + s.text() + " seconds; at most 7 days is allowed");
                    return null;
                }
                return Duration.ofSeconds(s.integer().longValue());
            }
            if (node instanceof Scalar s && s.kind() == SpecTree.Kind.STRING) {
                Optional<Duration> parsed = Durations.parse(s.text());
                if (parsed.isEmpty()) {
                    error("timeout", "'" + SpecTree.abbreviate(s.text()) + "' is not a duration; write " + forms);
                }
                return parsed.orElse(null);
            }
            if (node instanceof Scalar s && s.isNull()) {
                error("timeout", "has no value; give one, " + forms + ", or remove it for the default ("
                        + Durations.format(JobSpec.DEFAULT_TIMEOUT) + ")");
                return null;
            }
            error("timeout", "must be a duration, " + forms + "; found " + SpecTree.describe(node));
            return null;
        }

        /** A whole number that may be left out (or null): then null, which is not an error. */
        private Integer optionalInteger(String field, int min, int max) {
            Node node = fields.get(field);
            if (isAbsent(node)) {
                return null;
            }
            if (node instanceof Scalar s && s.kind() == SpecTree.Kind.INTEGER) {
                if (s.integer().bitLength() > 31) {
                    error(field, "must be between " + min + " and " + max + ", found " + s.text());
                    return null;
                }
                return s.integer().intValue();
            }
            error(field, "must be a whole number from " + min + " to " + max + ", found " + SpecTree.describe(node));
            return null;
        }

        private Integer integer(String field, int absent, int min, int max) {
            Node node = fields.get(field);
            if (node == null) {
                return absent;
            }
            if (node instanceof Scalar s && s.kind() == SpecTree.Kind.INTEGER) {
                if (s.integer().bitLength() > 31) {
                    error(field, "must be between " + min + " and " + max + ", found " + s.text());
                    return null;
                }
                return s.integer().intValue();
            }
            if (node instanceof Scalar s && s.isNull()) {
                error(field, "has no value; give a whole number from " + min + " to " + max
                        + ", or remove it for the default (" + absent + ")");
                return null;
            }
            error(field, "must be a whole number from " + min + " to " + max + ", found " + SpecTree.describe(node));
            return null;
        }
    }
}
