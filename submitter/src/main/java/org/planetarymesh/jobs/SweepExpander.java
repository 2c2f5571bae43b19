package org.planetarymesh.jobs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.submitter.JobSpec;

/**
 * Expands a spec's parameter sweep into tasks: the cartesian product of the parameter values, the first
 * parameter the outermost loop ({@code x=[1,2], y=[a,b]} gives {@code (1,a) (1,b) (2,a) (2,b)}).
 *
 * <p>In each task, {@code {name}} in an argv element or an env value becomes the task's value of parameter
 * {@code name}. Braces around anything that is not a parameter name ({@code {}}, awk's {@code {print $1}}) are
 * left as they are, and a value is never substituted again, so a value containing {@code {y}} stays as it is.
 * Files are not substituted.
 */
public final class SweepExpander {
    private SweepExpander() {
    }

    /**
     * How many tasks the sweep has (the product of the value counts, 1 without params), without building them.
     *
     * @throws IllegalArgumentException when the product does not fit an int (only an unvalidated spec can)
     */
    public static int taskCount(JobSpec spec) {
        long count = 1;
        for (List<String> values : spec.params().values()) {
            if (values.isEmpty()) {
                return 0;
            }
        }
        for (List<String> values : spec.params().values()) {
            count *= values.size();
            if (count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the sweep of job spec '" + spec.name() + "' has more than "
                        + Integer.MAX_VALUE + " tasks");
            }
        }
        return (int) count;
    }

    /** Every task of the sweep, in sweep order. */
    public static List<TaskDefinition> expand(JobSpec spec) {
        Sweep sweep = new Sweep(spec);
        int count = taskCount(spec);
        List<TaskDefinition> tasks = new ArrayList<>(count);
        int[] digits = new int[sweep.sizes.length];
        for (int index = 0; index < count; index++) {
            tasks.add(sweep.task(index, digits));
            // An odometer: the last parameter turns fastest.
            for (int p = digits.length - 1; p >= 0; p--) {
                if (++digits[p] < sweep.sizes[p]) {
                    break;
                }
                digits[p] = 0;
            }
        }
        return List.copyOf(tasks);
    }

    /** The task at {@code index} of the sweep, computed without building the others. */
    public static TaskDefinition task(JobSpec spec, int index) {
        int count = taskCount(spec);
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("task " + index + " of a sweep of " + count + " tasks");
        }
        Sweep sweep = new Sweep(spec);
        int[] digits = new int[sweep.sizes.length];
        int rest = index;
        for (int p = digits.length - 1; p >= 0; p--) {
            digits[p] = rest % sweep.sizes[p];
            rest /= sweep.sizes[p];
        }
        return sweep.task(index, digits);
    }

    /** The spec's templates, cut once into literal text and parameter slots. */
    private static final class Sweep {
        private final List<String> names;
        private final List<List<String>> values;
        private final int[] sizes;
        private final List<Template> argv = new ArrayList<>();
        private final Map<String, Template> env = new LinkedHashMap<>();

        Sweep(JobSpec spec) {
            names = List.copyOf(spec.params().keySet());
            values = List.copyOf(spec.params().values());
            sizes = values.stream().mapToInt(List::size).toArray();
            for (String arg : spec.command()) {
                argv.add(Template.of(arg, names));
            }
            spec.env().forEach((key, value) -> env.put(key, Template.of(value, names)));
        }

        TaskDefinition task(int index, int[] digits) {
            String[] chosen = new String[digits.length];
            for (int p = 0; p < digits.length; p++) {
                chosen[p] = values.get(p).get(digits[p]);
            }
            List<String> taskArgv = argv.stream().map(t -> t.fill(chosen)).toList();
            Map<String, String> taskEnv = new LinkedHashMap<>();
            env.forEach((key, template) -> taskEnv.put(key, template.fill(chosen)));
            return new TaskDefinition(index, names, List.of(chosen), taskArgv, Collections.unmodifiableMap(taskEnv));
        }
    }

    /**
     * A string cut at its placeholders: {@code literals[0] slot[0] literals[1] ... literals[n]}, where slot
     * {@code i} is the index of a parameter.
     */
    private static final class Template {
        private final String text;
        private final String[] literals;
        private final int[] slots;

        private Template(String text, String[] literals, int[] slots) {
            this.text = text;
            this.literals = literals;
            this.slots = slots;
        }

        static Template of(String text, List<String> names) {
            List<String> literals = new ArrayList<>();
            List<Integer> slots = new ArrayList<>();
            StringBuilder literal = new StringBuilder();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                int close = c == '{' ? text.indexOf('}', i + 1) : -1;
                int param = close < 0 ? -1 : names.indexOf(text.substring(i + 1, close));
                if (param >= 0) {
                    literals.add(literal.toString());
                    literal.setLength(0);
                    slots.add(param);
                    i = close + 1;
                } else {
                    literal.append(c);
                    i++;
                }
            }
            literals.add(literal.toString());
            return new Template(text, literals.toArray(String[]::new),
                    slots.stream().mapToInt(Integer::intValue).toArray());
        }

        String fill(String[] chosen) {
            if (slots.length == 0) {
                return text;
            }
            StringBuilder out = new StringBuilder(literals[0]);
            for (int s = 0; s < slots.length; s++) {
                out.append(chosen[slots[s]]).append(literals[s + 1]);
            }
            return out.toString();
        }
    }
}
