package org.planetarymesh.owner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerLoadTest {
    /** A 4-CPU host's /proc/stat, as Linux 6.1 writes it (trimmed after the cpu lines' neighbours). */
    private static final String BEFORE = """
            cpu  10000 500 3000 80000 1000 200 100 50 0 0
            cpu0 2500 125 750 20000 250 50 25 12 0 0
            cpu1 2500 125 750 20000 250 50 25 13 0 0
            cpu2 2500 125 750 20000 250 50 25 12 0 0
            cpu3 2500 125 750 20000 250 50 25 13 0 0
            intr 123456 0 0 0
            ctxt 987654
            btime 1764140000
            processes 4242
            procs_running 3
            procs_blocked 0
            """;

    /** One second later at 100 ticks a second: 400 ticks over 4 CPUs, 200 of them busy (user 150, system 50). */
    private static final String AFTER_ONE_SECOND = """
            cpu  10150 500 3050 80180 1020 200 100 50 0 0
            cpu0 2540 125 760 20045 255 50 25 12 0 0
            cpu1 2535 125 765 20045 255 50 25 13 0 0
            cpu2 2540 125 760 20045 255 50 25 12 0 0
            cpu3 2535 125 765 20045 255 50 25 13 0 0
            intr 123999 0 0 0
            """;

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void when_procStatIsRead_then_iowaitAndStealCountAsIdleAndGuestIsNotCountedTwice() {
        ProcStat.CpuTimes cpu = ProcStat.parse(BEFORE).orElseThrow();

        assertThat(cpu).isEqualTo(new ProcStat.CpuTimes(10000 + 500 + 3000 + 80000 + 1000 + 200 + 100 + 50,
                80000 + 1000 + 50, 4));
    }

    @Test
    void when_anOldKernelWritesFewerFields_then_theMissingOnesCountAsZero() {
        assertThat(ProcStat.parse("cpu 10 0 5 85\ncpu0 10 0 5 85\n"))
                .contains(new ProcStat.CpuTimes(100, 85, 1));
    }

    @Test
    void when_theTextIsNotProcStat_then_thereAreNoCpuTimes() {
        assertThat(ProcStat.parse("")).isEmpty();
        assertThat(ProcStat.parse("cpu  a b c\ncpu0 1 2 3\n")).isEmpty();
        assertThat(ProcStat.parse("cpu  1 2 3 4\n")).as("no cpuN line").isEmpty();
    }

    @Test
    void when_theFileIsMissing_then_thereAreNoCpuTimes(@TempDir Path dir) throws IOException {
        assertThat(ProcStat.read(dir.resolve("stat"))).isEmpty();
        Files.writeString(dir.resolve("stat"), BEFORE);
        assertThat(ProcStat.read(dir.resolve("stat"))).isPresent();
    }

    @Test
    void when_theMeshUsedNothing_then_theOwnerLoadIsTheBusyShareOfAllCpus() {
        double load = OwnerLoad.perCore(sample(BEFORE, 0, 0), sample(AFTER_ONE_SECOND, 0, SECOND));

        assertThat(load).isCloseTo(0.5, within(1e-9)); // 200 busy of 400 ticks
    }

    @Test
    void when_theMeshUsedOneCoreOfTheFour_then_itsShareIsNotTheOwners() {
        double load = OwnerLoad.perCore(sample(BEFORE, 5 * SECOND, 0), sample(AFTER_ONE_SECOND, 6 * SECOND, SECOND));

        assertThat(load).isCloseTo(0.25, within(1e-9));
    }

    @Test
    void when_theMeshSeemsToHaveUsedMoreThanTheHostWasBusy_then_theOwnerLoadIsZeroNotNegative() {
        double load = OwnerLoad.perCore(sample(BEFORE, 0, 0), sample(AFTER_ONE_SECOND, 4 * SECOND, SECOND));

        assertThat(load).isZero();
    }

    @Test
    void when_theMeshTotalGoesDown_then_itCountsAsNoMeshUseAndTheOwnerLooksBusierNotIdler() {
        double load = OwnerLoad.perCore(sample(BEFORE, 9 * SECOND, 0), sample(AFTER_ONE_SECOND, SECOND, SECOND));

        assertThat(load).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void when_noTimePassedBetweenSamples_then_theLoadIsUnknown() {
        assertThat(OwnerLoad.perCore(sample(BEFORE, 0, 0), sample(BEFORE, 0, SECOND))).isNaN();
        assertThat(OwnerLoad.perCore(sample(BEFORE, 0, SECOND), sample(AFTER_ONE_SECOND, 0, SECOND))).isNaN();
    }

    @Test
    void when_thereIsNoProcStat_then_theOsLoadLessTheMeshShareIsUsedAndANegativeOneIsUnknown() {
        assertThat(OwnerLoad.perCore(0.75, SECOND, SECOND, 4)).isCloseTo(0.5, within(1e-9));
        assertThat(OwnerLoad.perCore(2.5, 0, SECOND, 4)).isEqualTo(1.0);
        assertThat(OwnerLoad.perCore(-1, 0, SECOND, 4)).isNaN();
    }

    @Test
    void when_theMeterRunsOnThisHost_then_itGivesALoadInRangeAndNamesItsSource() {
        long[] now = {0};
        OwnerLoadMeter meter = new OwnerLoadMeter(() -> 0, () -> now[0] += SECOND, ProcStat.read().isPresent());

        double load = meter.getAsDouble();

        assertThat(load).satisfiesAnyOf(l -> assertThat(l).isBetween(0.0, 1.0), l -> assertThat(l).isNaN());
        assertThat(meter.source()).contains("less the mesh's CPU time");
    }

    private static OwnerLoad.Sample sample(String procStat, long meshNanos, long atNanos) {
        return new OwnerLoad.Sample(ProcStat.parse(procStat).orElseThrow(), meshNanos, atNanos);
    }
}
