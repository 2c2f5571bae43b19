package org.planetarymesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Resources;

class SweepExpanderTest {

    private static List<String> range(int fromInclusive, int toInclusive) {
        return IntStream.rangeClosed(fromInclusive, toInclusive).mapToObj(String::valueOf).toList();
    }

    @Test
    void when_twoParams_then_theFirstIsTheOutermostLoop() {
        JobSpec spec = JobSpec.builder("t").command("run", "{x}", "{y}")
                .param("x", List.of(1, 2)).param("y", List.of("a", "b")).build();

        List<TaskDefinition> tasks = SweepExpander.expand(spec);

        assertThat(tasks).extracting(TaskDefinition::index, TaskDefinition::paramValues).containsExactly(
                tuple(0, List.of("1", "a")), tuple(1, List.of("1", "b")),
                tuple(2, List.of("2", "a")), tuple(3, List.of("2", "b")));
        assertThat(tasks).allSatisfy(task -> assertThat(task.paramNames()).containsExactly("x", "y"));
        assertThat(tasks).extracting(TaskDefinition::argv).containsExactly(
                List.of("run", "1", "a"), List.of("run", "1", "b"), List.of("run", "2", "a"), List.of("run", "2", "b"));
    }

    @Test
    void when_paramsAreDeclaredInAnotherOrder_then_theOtherParamIsOutermost() {
        JobSpec spec = JobSpec.builder("t").command("run", "{x}", "{y}")
                .param("y", List.of("a", "b")).param("x", List.of(1, 2)).build();

        assertThat(SweepExpander.expand(spec)).extracting(TaskDefinition::argv).containsExactly(
                List.of("run", "1", "a"), List.of("run", "2", "a"), List.of("run", "1", "b"), List.of("run", "2", "b"));
    }

    @Test
    void when_threeParams_then_theCountIsTheProductAndTheLastTurnsFastest() {
        JobSpec spec = JobSpec.builder("t").command("run", "{a}{b}{c}")
                .param("a", List.of(1, 2)).param("b", List.of(1, 2, 3)).param("c", List.of(1, 2, 3, 4)).build();

        List<TaskDefinition> tasks = SweepExpander.expand(spec);

        assertThat(SweepExpander.taskCount(spec)).isEqualTo(24);
        assertThat(tasks).hasSize(24);
        assertThat(tasks).extracting(task -> task.argv().get(1)).startsWith("111", "112", "113", "114", "121")
                .endsWith("233", "234");
        assertThat(tasks).extracting(TaskDefinition::index).containsExactlyElementsOf(IntStream.range(0, 24).boxed().toList());
    }

    @Test
    void when_noParams_then_oneTaskRunsTheCommandAsIs() {
        JobSpec spec = JobSpec.builder("t").command("awk", "{print $1}", "{x}").env("A", "{y}").build();

        List<TaskDefinition> tasks = SweepExpander.expand(spec);

        assertThat(SweepExpander.taskCount(spec)).isEqualTo(1);
        assertThat(tasks).singleElement().satisfies(task -> {
            assertThat(task.index()).isZero();
            assertThat(task.paramNames()).isEmpty();
            assertThat(task.paramValues()).isEmpty();
            assertThat(task.argv()).containsExactly("awk", "{print $1}", "{x}");
            assertThat(task.env()).containsExactly(Map.entry("A", "{y}"));
        });
    }

    @Test
    void when_placeholdersAreInArgvAndEnv_then_eachIsReplaced() {
        JobSpec spec = JobSpec.builder("t").command("python3", "train.py", "--lr={lr}", "--out=run-{lr}-{seed}.csv")
                .env("SEED", "{seed}").env("TAG", "lr{lr}/s{seed}/{seed}").env("PLAIN", "same")
                .param("lr", List.of("0.1")).param("seed", List.of(7)).build();

        TaskDefinition task = SweepExpander.expand(spec).get(0);

        assertThat(task.argv()).containsExactly("python3", "train.py", "--lr=0.1", "--out=run-0.1-7.csv");
        assertThat(task.env()).containsOnly(Map.entry("SEED", "7"), Map.entry("TAG", "lr0.1/s7/7"),
                Map.entry("PLAIN", "same"));
    }

    @Test
    void when_bracesDoNotNameAParam_then_theyAreLeftUntouched() {
        JobSpec spec = JobSpec.builder("t")
                .command("sh", "-c", "awk '{print $1}' f | xargs -I{} echo {} {x} { x } {X} {x {y} {}x}", "{{x}}")
                .param("x", List.of(5)).build();

        TaskDefinition task = SweepExpander.expand(spec).get(0);

        assertThat(task.argv()).containsExactly("sh", "-c",
                "awk '{print $1}' f | xargs -I{} echo {} 5 { x } {X} {x {y} {}x}", "{5}");
    }

    @Test
    void when_aValueLooksLikeAPlaceholder_then_itIsNotSubstitutedAgain() {
        JobSpec spec = JobSpec.builder("t").command("echo", "{x}", "{y}")
                .param("x", List.of("{y}")).param("y", List.of("{x}")).build();

        assertThat(SweepExpander.expand(spec).get(0).argv()).containsExactly("echo", "{y}", "{x}");
    }

    @Test
    void when_envKeysOrFilesContainBraces_then_theyAreNotSubstituted() {
        JobSpec spec = JobSpec.builder("t").command("sh", "run.sh", "{x}").file("run.sh", "echo {x}")
                .param("x", List.of(1)).build();

        TaskDefinition task = SweepExpander.expand(spec).get(0);

        assertThat(task.argv()).containsExactly("sh", "run.sh", "1");
        assertThat(spec.files()).containsEntry("run.sh", "echo {x}");
    }

    @Test
    void when_aParamHasOneValue_then_itStillFillsItsPlaceholder() {
        JobSpec spec = JobSpecParser.parse("name: t\ncommand: [echo, '{mode}', '{n}']\nparams: {mode: fast, n: 1..3}\n");

        assertThat(SweepExpander.expand(spec)).extracting(TaskDefinition::argv).containsExactly(
                List.of("echo", "fast", "1"), List.of("echo", "fast", "2"), List.of("echo", "fast", "3"));
    }

    @Test
    void when_aTaskIsBuilt_then_itsListsAndMapsAreImmutable() {
        JobSpec spec = JobSpec.builder("t").command("echo", "{x}").env("A", "{x}").param("x", List.of(1)).build();
        TaskDefinition task = SweepExpander.expand(spec).get(0);

        assertThatThrownBy(() -> task.argv().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> task.env().put("B", "x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> task.paramValues().set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> SweepExpander.expand(spec).clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void when_aLargeSweepIsExpanded_then_itIsFastAndEveryPointAppearsOnceInOrder() {
        List<String> forty = range(1, 40);
        JobSpec spec = JobSpec.builder("big").command("run", "--a={a}", "--b={b}", "--c={c}").env("C", "{c}")
                .param("a", forty).param("b", forty).param("c", forty).build();

        List<TaskDefinition> tasks = assertTimeout(Duration.ofSeconds(10), () -> SweepExpander.expand(spec));

        assertThat(SweepExpander.taskCount(spec)).isEqualTo(64_000);
        assertThat(tasks).hasSize(64_000);
        assertThat(tasks.get(0).argv()).containsExactly("run", "--a=1", "--b=1", "--c=1");
        assertThat(tasks.get(1).argv()).containsExactly("run", "--a=1", "--b=1", "--c=2");
        assertThat(tasks.get(40).argv()).containsExactly("run", "--a=1", "--b=2", "--c=1");
        assertThat(tasks.get(1600).argv()).containsExactly("run", "--a=2", "--b=1", "--c=1");
        assertThat(tasks.get(63_999).argv()).containsExactly("run", "--a=40", "--b=40", "--c=40");
        // One comparison of whole lists: 64,000 AssertJ calls would cost more than the expansion itself.
        List<List<String>> expectedValues = new ArrayList<>();
        for (int a = 1; a <= 40; a++) {
            for (int b = 1; b <= 40; b++) {
                for (int c = 1; c <= 40; c++) {
                    expectedValues.add(List.of(String.valueOf(a), String.valueOf(b), String.valueOf(c)));
                }
            }
        }
        assertThat(tasks.stream().map(TaskDefinition::paramValues).toList()).isEqualTo(expectedValues);
        assertThat(tasks.stream().map(TaskDefinition::index).toList())
                .isEqualTo(IntStream.range(0, 64_000).boxed().toList());
        assertThat(tasks.stream().map(task -> task.env().get("C")).toList())
                .isEqualTo(expectedValues.stream().map(values -> values.get(2)).toList());
        assertThat(new HashSet<>(tasks.stream().map(TaskDefinition::argv).toList())).hasSize(64_000);
    }

    @Test
    void when_aSingleTaskIsAskedFor_then_itEqualsTheExpandedOne() {
        JobSpec spec = JobSpec.builder("t").command("run", "{a}", "{b}", "{c}")
                .param("a", range(1, 3)).param("b", List.of("x", "y")).param("c", range(0, 4)).build();
        List<TaskDefinition> all = SweepExpander.expand(spec);

        for (int i = 0; i < all.size(); i++) {
            assertThat(SweepExpander.task(spec, i)).isEqualTo(all.get(i));
        }
        assertThatThrownBy(() -> SweepExpander.task(spec, 30)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("task 30 of a sweep of 30 tasks");
        assertThatThrownBy(() -> SweepExpander.task(spec, -1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void when_anUnvalidatedSweepExceedsAnInt_then_taskCountRefusesIt() {
        List<String> thousand = range(1, 1000);
        JobSpec huge = new JobSpec("huge", List.of("run"), Map.of(), Map.of(),
                Map.of("a", thousand, "b", thousand, "c", thousand, "d", thousand), Duration.ofMinutes(1), 1, 0,
                Set.of(), null, Resources.DEFAULT, NetworkAccess.ALLOWED, Set.of());

        assertThatThrownBy(() -> SweepExpander.taskCount(huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the sweep of job spec 'huge' has more than 2147483647 tasks");
        assertThatThrownBy(() -> SweepExpander.expand(huge)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void when_anUnvalidatedParamHasNoValues_then_theSweepIsEmpty() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("a", range(1, 1000));
        params.put("b", range(1, 1000));
        params.put("c", range(1, 1000));
        params.put("d", range(1, 1000));
        params.put("empty", List.of());
        JobSpec empty = new JobSpec("e", List.of("run"), Map.of(), Map.of(), params, Duration.ofMinutes(1), 1, 0,
                Set.of(), null, Resources.DEFAULT, NetworkAccess.ALLOWED, Set.of());

        assertThat(SweepExpander.taskCount(empty)).isZero();
        assertThat(SweepExpander.expand(empty)).isEmpty();
    }

    @Property(tries = 200)
    void when_anySweepIsExpanded_then_itIsTheCartesianProductInOrder(@ForAll("valueCounts") List<Integer> counts) {
        JobSpec.Builder builder = JobSpec.builder("p").command("run");
        List<String> command = new ArrayList<>(List.of("run"));
        int expected = 1;
        for (int p = 0; p < counts.size(); p++) {
            builder.param("p" + p, range(0, counts.get(p) - 1));
            command.add("{p" + p + "}");
            expected *= counts.get(p);
        }
        JobSpec spec = builder.command(command.toArray(String[]::new)).build();

        List<TaskDefinition> tasks = SweepExpander.expand(spec);

        assertThat(SweepExpander.taskCount(spec)).isEqualTo(expected);
        assertThat(tasks).hasSize(expected);
        for (int i = 0; i < tasks.size(); i++) {
            // Index i written in the mixed radix of the value counts, first param most significant.
            int rest = i;
            String[] digits = new String[counts.size()];
            for (int p = counts.size() - 1; p >= 0; p--) {
                digits[p] = String.valueOf(rest % counts.get(p));
                rest /= counts.get(p);
            }
            TaskDefinition task = tasks.get(i);
            assertThat(task.index()).isEqualTo(i);
            assertThat(task.paramValues()).containsExactly(digits);
            assertThat(task.argv().subList(1, task.argv().size())).containsExactly(digits);
            assertThat(SweepExpander.task(spec, i)).isEqualTo(task);
        }
    }

    @Provide
    Arbitrary<List<Integer>> valueCounts() {
        return Arbitraries.integers().between(1, 5).list().ofMaxSize(4);
    }
}
