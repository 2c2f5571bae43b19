package org.planetarymesh.jobs;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.planetarymesh.submitter.InvalidJobSpecException.FieldError;
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Protection;

/**
 * The semantic rules of a job spec, shared by {@link JobSpecParser#parse} and {@link JobSpecParser#validate}.
 * Each rule adds a {@link FieldError}; nothing stops at the first one.
 */
final class JobSpecRules {
    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_TASKS = 100_000;
    static final long MAX_FILES_BYTES = 1024 * 1024;
    static final Duration MAX_TIMEOUT = Duration.ofDays(7);
    static final int MIN_ATTEMPTS = 1;
    static final int MAX_ATTEMPTS = 20;
    /** At most as many tasks as a sweep may have. */
    static final int MAX_FAILED_TASKS = MAX_TASKS;
    static final int MIN_PRIORITY = -1000;
    static final int MAX_PRIORITY = 1000;
    /** One millicore: a finer share means nothing to a CFS quota. */
    static final double MIN_CPUS = 0.001;
    static final double MAX_CPUS = 1024;
    /** Below a few MiB not even a shell starts; a smaller limit only produces confusing kills. */
    static final long MIN_MEMORY = 4L << 20;
    static final long MAX_MEMORY = 16L << 40;
    static final long MIN_DISK = 1L << 20;
    static final long MAX_DISK = 1L << 50;
    static final int MIN_PROCESSES = 1;
    /** Linux's pid_max is at most 4194304; a cap near it caps nothing. */
    static final int MAX_PROCESSES = 100_000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * The parts of a spec to check. A null field, a null list element or a null map value was already
     * reported by the parser (wrong type, no value) and is skipped here, so one mistake gives one error.
     *
     * @param labelsInOrder whether {@code labels} is in the writer's order (parsed), so that errors can say
     *                      {@code labels[2]}; a {@code Set}'s order means nothing, so then it says {@code labels}
     */
    record Draft(String name, List<String> command, Map<String, String> files, Map<String, String> env,
                 Map<String, List<String>> params, Duration timeout, Integer maxAttempts, Integer priority,
                 List<String> labels, boolean labelsInOrder, Integer maxFailedTasks, ResourcesDraft resources,
                 NetworkAccess network, Set<Protection> requires) {
    }

    /** The {@code resources} mapping, each field null when already reported; absent fields hold their default. */
    record ResourcesDraft(Double cpus, Long memoryBytes, Long diskBytes, Integer processes) {
        boolean complete() {
            return cpus != null && memoryBytes != null && diskBytes != null && processes != null;
        }
    }

    private JobSpecRules() {
    }

    static void check(Draft spec, List<FieldError> errors) {
        if (spec.name() != null) {
            checkName(spec.name(), errors);
        }
        if (spec.command() != null) {
            checkCommand(spec.command(), errors);
        }
        if (spec.files() != null) {
            checkFiles(spec.files(), errors);
        }
        if (spec.env() != null) {
            checkEnv(spec.env(), errors);
        }
        if (spec.params() != null) {
            checkParams(spec, errors);
        }
        if (spec.timeout() != null) {
            checkTimeout(spec.timeout(), errors);
        }
        if (spec.maxAttempts() != null) {
            checkRange("maxAttempts", spec.maxAttempts(), MIN_ATTEMPTS, MAX_ATTEMPTS, errors);
        }
        if (spec.priority() != null) {
            checkRange("priority", spec.priority(), MIN_PRIORITY, MAX_PRIORITY, errors);
        }
        if (spec.labels() != null) {
            checkLabels(spec.labels(), spec.labelsInOrder(), errors);
        }
        if (spec.maxFailedTasks() != null) {
            checkRange("maxFailedTasks", spec.maxFailedTasks(), 0, MAX_FAILED_TASKS, errors);
        }
        if (spec.resources() != null) {
            checkResources(spec.resources(), errors);
        }
    }

    private static void checkResources(ResourcesDraft resources, List<FieldError> errors) {
        Double cpus = resources.cpus();
        if (cpus != null && (!(cpus >= MIN_CPUS) || cpus > MAX_CPUS)) {
            errors.add(new FieldError("resources.cpus", "must be between " + MIN_CPUS + " (1 millicore, '1m') and "
                    + (int) MAX_CPUS + ", found " + formatCpus(cpus)));
        }
        checkSize("resources.memory", resources.memoryBytes(), MIN_MEMORY, MAX_MEMORY, errors);
        checkSize("resources.disk", resources.diskBytes(), MIN_DISK, MAX_DISK, errors);
        if (resources.processes() != null) {
            checkRange("resources.processes", resources.processes(), MIN_PROCESSES, MAX_PROCESSES, errors);
        }
    }

    private static void checkSize(String field, Long bytes, long min, long max, List<FieldError> errors) {
        if (bytes != null && (bytes < min || bytes > max)) {
            errors.add(new FieldError(field, "must be between " + Sizes.format(min) + " and " + Sizes.format(max)
                    + ", found " + Sizes.format(bytes) + (bytes >= 1024 ? " (" + bytes + " bytes)" : "")));
        }
    }

    /** {@code 0.5}, {@code 2}, never {@code 2.0} nor an exponent. */
    static String formatCpus(double cpus) {
        return new java.math.BigDecimal(String.valueOf(cpus)).stripTrailingZeros().toPlainString()
                .toLowerCase(Locale.ROOT);
    }

    private static void checkName(String name, List<FieldError> errors) {
        if (name.isBlank()) {
            errors.add(new FieldError("name", "must not be blank"));
        } else if (name.length() > MAX_NAME_LENGTH) {
            errors.add(new FieldError("name", "is " + name.length() + " characters long; at most "
                    + MAX_NAME_LENGTH + " are allowed"));
        } else if (!NAME.matcher(name).matches()) {
            int bad = firstNotMatching(name, NAME);
            errors.add(new FieldError("name", "may contain only ASCII letters, digits, '.', '_' and '-'; found "
                    + quoteChar(name.codePointAt(bad)) + " at position " + (bad + 1)));
        }
    }

    private static void checkCommand(List<String> command, List<FieldError> errors) {
        if (command.isEmpty()) {
            errors.add(new FieldError("command", "must have at least one element, the program, "
                    + "e.g. [python3, sweep.py, '{x}']"));
            return;
        }
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            if (arg == null) {
                continue;
            }
            String field = "command[" + i + "]";
            if (arg.isEmpty()) {
                errors.add(new FieldError(field, "must not be empty"));
            } else if (i == 0 && arg.isBlank()) {
                errors.add(new FieldError(field, "is the program and must not be blank"));
            } else if (arg.indexOf('\0') >= 0) {
                errors.add(new FieldError(field, "must not contain the NUL character"));
            }
        }
    }

    private static void checkFiles(Map<String, String> files, List<FieldError> errors) {
        long bytes = 0;
        for (Map.Entry<String, String> file : files.entrySet()) {
            String path = file.getKey();
            String problem = pathProblem(path);
            if (problem != null) {
                errors.add(new FieldError(path.isEmpty() ? "files" : "files." + path, problem));
            }
            if (file.getValue() != null) {
                bytes += utf8Length(file.getValue());
            }
        }
        if (bytes > MAX_FILES_BYTES) {
            errors.add(new FieldError("files", "hold " + bytes + " bytes of content in all; at most 1 MiB ("
                    + MAX_FILES_BYTES + " bytes) is allowed, put larger inputs on shared storage"));
        }
    }

    /** Why {@code path} cannot be an inline file's name, or null when it can. */
    private static String pathProblem(String path) {
        if (path.isEmpty()) {
            return "a file name is empty";
        }
        if (path.startsWith("/") || path.matches("^[A-Za-z]:.*")) {
            return "must be a relative path inside the task's working directory, e.g. scripts/run.sh";
        }
        if (path.indexOf('\\') >= 0) {
            return "must use '/' to separate directories, not '\\'";
        }
        if (path.chars().anyMatch(Character::isISOControl)) {
            return "must not contain control characters";
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                return "must not contain '..'; files are written inside the task's working directory";
            }
            if (segment.equals(".")) {
                return "must not contain '.' segments; write the path without them, e.g. run.sh";
            }
            if (segment.isEmpty()) {
                return "has an empty segment ('//' or a '/' at the end); name a file, e.g. data/input.txt";
            }
        }
        return null;
    }

    private static void checkEnv(Map<String, String> env, List<FieldError> errors) {
        for (Map.Entry<String, String> variable : env.entrySet()) {
            String key = variable.getKey();
            if (!IDENTIFIER.matcher(key).matches()) {
                errors.add(new FieldError("env." + key, "'" + key + "' is not a valid variable name; use ASCII "
                        + "letters, digits and '_', not starting with a digit"));
            }
            if (variable.getValue() != null && variable.getValue().indexOf('\0') >= 0) {
                errors.add(new FieldError("env." + key, "must not contain the NUL character"));
            }
        }
    }

    private static void checkParams(Draft spec, List<FieldError> errors) {
        BigInteger tasks = BigInteger.ONE;
        List<String> counts = new ArrayList<>();
        for (Map.Entry<String, List<String>> param : spec.params().entrySet()) {
            String name = param.getKey();
            String field = "params." + name;
            if (!IDENTIFIER.matcher(name).matches()) {
                errors.add(new FieldError(field, "'" + name + "' is not a valid parameter name; use ASCII "
                        + "letters, digits and '_', not starting with a digit"));
            } else if (!isUsed(name, spec)) {
                errors.add(new FieldError(field, "param '" + name + "' is not used in command or env; put '{"
                        + name + "}' where its value goes (files are not substituted), or remove it"));
            }
            List<String> values = param.getValue();
            if (values == null) {
                continue;
            }
            if (values.isEmpty()) {
                errors.add(new FieldError(field, "has no values; give at least one"));
                continue;
            }
            tasks = tasks.multiply(BigInteger.valueOf(values.size()));
            counts.add(String.valueOf(values.size()));
        }
        if (tasks.compareTo(BigInteger.valueOf(MAX_TASKS)) > 0) {
            errors.add(new FieldError("params", "the sweep has " + tasks + " tasks ("
                    + String.join(" x ", counts) + "); at most " + MAX_TASKS + " are allowed"));
        }
    }

    private static boolean isUsed(String param, Draft spec) {
        String placeholder = "{" + param + "}";
        if (spec.command() != null
                && spec.command().stream().anyMatch(arg -> arg != null && arg.contains(placeholder))) {
            return true;
        }
        return spec.env() != null
                && spec.env().values().stream().anyMatch(value -> value != null && value.contains(placeholder));
    }

    private static void checkTimeout(Duration timeout, List<FieldError> errors) {
        if (timeout.isNegative() || timeout.isZero()) {
            errors.add(new FieldError("timeout", "must be more than 0, found " + Durations.format(timeout)));
        } else if (timeout.compareTo(MAX_TIMEOUT) > 0) {
            errors.add(new FieldError("timeout", "must be at most 7 days (" + Durations.format(MAX_TIMEOUT)
                    + "), found " + Durations.format(timeout)));
        }
    }

    private static void checkRange(String field, int value, int min, int max, List<FieldError> errors) {
        if (value < min || value > max) {
            errors.add(new FieldError(field, "must be between " + min + " and " + max + ", found " + value));
        }
    }

    private static void checkLabels(List<String> labels, boolean inOrder, List<FieldError> errors) {
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            if (label == null) {
                continue;
            }
            String field = inOrder ? "labels[" + i + "]" : "labels";
            if (label.isBlank()) {
                errors.add(new FieldError(field, inOrder ? "must not be blank" : "must not contain a blank label"));
            } else if (!label.strip().equals(label)) {
                errors.add(new FieldError(field, "label '" + label + "' starts or ends with whitespace; "
                        + "node labels never do, so it would match no node"));
            }
        }
    }

    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static int firstNotMatching(String text, Pattern allowed) {
        for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
            if (!allowed.matcher(new String(Character.toChars(text.codePointAt(i)))).matches()) {
                return i;
            }
        }
        return 0;
    }

    private static String quoteChar(int codePoint) {
        if (Character.isISOControl(codePoint)) {
            return String.format("U+%04X", codePoint);
        }
        return "'" + new String(Character.toChars(codePoint)) + "'";
    }
}
