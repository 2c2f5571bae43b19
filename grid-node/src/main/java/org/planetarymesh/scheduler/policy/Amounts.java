package org.planetarymesh.scheduler.policy;

import org.planetarymesh.jobs.Sizes;
import org.planetarymesh.submitter.Resources;

/**
 * CPU, memory and disk as the scheduler counts them: a task's demand, a node's capacity, what is used or free.
 * CPUs are whole millicores, so that sums are exact (0.1 + 0.2 cores would not be) and a round that adds up
 * demands never exceeds a capacity by a rounding error.
 *
 * @param millicpus   thousandths of a core
 * @param memoryBytes bytes of memory
 * @param diskBytes   bytes of work-directory space
 */
public record Amounts(long millicpus, long memoryBytes, long diskBytes) {

    /** Nothing: the demand of a task that states none, the use of an idle node. */
    public static final Amounts NONE = new Amounts(0, 0, 0);

    /** More than any task asks: the capacity of a node counted in slots only. */
    public static final Amounts UNLIMITED = new Amounts(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4);

    /** A task's demand; cpus rounded to the nearest millicore (specs allow no finer). */
    public static Amounts of(Resources resources) {
        return new Amounts(millicpus(resources.cpus()), resources.memoryBytes(), resources.diskBytes());
    }

    /** A node's capacity: {@code cpus} rounded to the nearest millicore. */
    public static Amounts of(double cpus, long memoryBytes, long diskBytes) {
        return new Amounts(millicpus(cpus), memoryBytes, diskBytes);
    }

    private static long millicpus(double cpus) {
        return Math.round(cpus * 1000);
    }

    public Amounts plus(Amounts other) {
        return new Amounts(millicpus + other.millicpus, memoryBytes + other.memoryBytes, diskBytes + other.diskBytes);
    }

    public Amounts minus(Amounts other) {
        return new Amounts(millicpus - other.millicpus, memoryBytes - other.memoryBytes, diskBytes - other.diskBytes);
    }

    /** True if this demand fits into {@code free} in every dimension. */
    public boolean fitsIn(Amounts free) {
        return millicpus <= free.millicpus && memoryBytes <= free.memoryBytes && diskBytes <= free.diskBytes;
    }

    /** {@code 1.5 cpus}, {@code 1 cpu}, {@code 250m cpus} read as people write them: cores. */
    static String cpus(long millicpus) {
        String cores = millicpus % 1000 == 0 ? String.valueOf(millicpus / 1000)
                : java.math.BigDecimal.valueOf(millicpus, 3).stripTrailingZeros().toPlainString();
        return cores + (millicpus == 1000 ? " cpu" : " cpus");
    }

    static String bytes(long bytes) {
        return Sizes.format(Math.max(0, bytes));
    }
}
