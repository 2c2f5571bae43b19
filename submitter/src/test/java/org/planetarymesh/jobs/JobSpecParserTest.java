package org.planetarymesh.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.planetarymesh.submitter.InvalidJobSpecException;
import org.planetarymesh.submitter.InvalidJobSpecException.FieldError;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.NetworkAccess;
import org.planetarymesh.submitter.Protection;
import org.planetarymesh.submitter.Resources;

class JobSpecParserTest {

    private static final String MINIMAL = """
            name: t
            command: [echo, hi]
            """;

    /** The minimal spec plus {@code yaml}; a field given here must not also be in {@link #MINIMAL}. */
    private static String minimalWith(String yaml) {
        return MINIMAL + yaml;
    }

    /** A spec whose command uses each of {@code names} and whose params are {@code paramsYaml}. */
    private static String sweep(String paramsYaml, String... names) {
        String placeholders = Arrays.stream(names).map(n -> "'{" + n + "}'").collect(Collectors.joining(", "));
        return "name: t\ncommand: [echo, " + placeholders + "]\nparams:\n" + paramsYaml.indent(2);
    }

    private static List<FieldError> errorsOf(String document) {
        InvalidJobSpecException e = catchThrowableOfType(InvalidJobSpecException.class,
                () -> JobSpecParser.parse(document));
        assertThat(e).as("parsing should have been refused:%n%s", document).isNotNull();
        return e.errors();
    }

    private static FieldError onlyErrorOf(String document) {
        List<FieldError> errors = errorsOf(document);
        assertThat(errors).as("errors of:%n%s", document).hasSize(1);
        return errors.get(0);
    }

    private static List<FieldError> errorsOf(JobSpec.Builder builder) {
        InvalidJobSpecException e = catchThrowableOfType(InvalidJobSpecException.class, builder::build);
        assertThat(e).as("build should have been refused").isNotNull();
        return e.errors();
    }

    private static JobSpec.Builder aSpec() {
        return JobSpec.builder("t").command("echo", "hi");
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.MIXIN)
    void when_anyValidSpecIsWrittenAsJson_then_parsingItGivesItBack(@ForAll("validSpecs") JobSpec spec) {
        String json = JobSpecParser.toJson(spec);

        JobSpec again = JobSpecParser.parse(json);

        assertThat(again).isEqualTo(spec);
        assertThat(again.params().keySet()).containsExactlyElementsOf(spec.params().keySet());
        assertThat(JobSpecParser.toJson(again)).isEqualTo(json);
    }

    @Provide
    Arbitrary<JobSpec> validSpecs() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~')
                .withChars('\n', '\t', '\u00e9', '\u20ac', '\u00df').ofMaxLength(12);
        Arbitrary<String> identifier = Arbitraries.strings().withCharRange('a', 'z').withChars('_')
                .ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .withChars('.', '_', '-').ofMinLength(1).ofMaxLength(100);
        Arbitrary<List<String>> argv = Combinators.combine(text.filter(s -> !s.isBlank()),
                text.filter(s -> !s.isEmpty()).list().ofMaxSize(3)).as((program, args) -> {
                    List<String> all = new ArrayList<>(List.of(program));
                    all.addAll(args);
                    return all;
                });
        Arbitrary<String> path = identifier.list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join("/", parts));
        Arbitrary<Map<String, String>> files = Arbitraries.maps(path, text).ofMaxSize(3);
        Arbitrary<Map<String, String>> env = Arbitraries.maps(identifier.map(s -> s.toUpperCase(Locale.ROOT)), text)
                .ofMaxSize(3);
        Arbitrary<Map<String, List<String>>> params = Arbitraries.maps(identifier,
                text.list().ofMinSize(1).ofMaxSize(4)).ofMaxSize(3);
        Arbitrary<Duration> timeout = Arbitraries.oneOf(
                Arbitraries.longs().between(1, Duration.ofDays(7).toMillis()).map(Duration::ofMillis),
                Arbitraries.longs().between(1, Duration.ofDays(7).toNanos()).map(Duration::ofNanos));
        Arbitrary<int[]> attemptsAndPriority = Combinators.combine(Arbitraries.integers().between(1, 20),
                Arbitraries.integers().between(-1000, 1000)).as((a, p) -> new int[] {a, p});
        Arbitrary<Set<String>> labels = text.map(String::strip).filter(s -> !s.isEmpty()).set().ofMaxSize(3);
        Arbitrary<Resources> resources = Combinators.combine(
                Arbitraries.doubles().between(0.001, 1024).ofScale(3),
                Arbitraries.longs().between(4L << 20, 16L << 40), Arbitraries.longs().between(1L << 20, 1L << 50),
                Arbitraries.integers().between(1, 100_000)).as(Resources::new);
        Arbitrary<Object[]> sandbox = Combinators.combine(labels, resources, Arbitraries.of(NetworkAccess.class),
                Arbitraries.of(Protection.class).set().ofMaxSize(4)).as((l, r, n, q) -> new Object[] {l, r, n, q});
        return Combinators.combine(name, argv, files, env, params, timeout, attemptsAndPriority, sandbox)
                .as((n, a, f, e, p, t, ap, s) -> {
                    // Every param must be used: append its placeholder to the command.
                    List<String> command = new ArrayList<>(a);
                    p.keySet().forEach(param -> command.add("{" + param + "}"));
                    @SuppressWarnings("unchecked")
                    Set<String> l = (Set<String>) s[0];
                    @SuppressWarnings("unchecked")
                    Set<Protection> q = (Set<Protection>) s[3];
                    return JobSpecParser.validate(new JobSpec(n, command, f, e, p, t, ap[0], ap[1], l, null,
                            (Resources) s[1], (NetworkAccess) s[2], q));
                });
    }

    @Nested
    class ReadingYamlAndJson {
        @Test
        void when_yamlHasEveryField_then_eachFieldIsRead() {
            JobSpec spec = JobSpecParser.parse("""
                    name: lr-sweep_2.v1
                    command: [python3, train.py, '--lr={lr}', '{seed}']
                    files:
                      train.py: print('hi')
                      conf/base.yaml: "epochs: 3"
                    env:
                      THREADS: 4
                      VERBOSE: true
                      SEED: "{seed}"
                    params:
                      lr: [0.1, 0.01]
                      seed: 1..3
                    timeout: 1h30m
                    maxAttempts: 5
                    priority: -7
                    labels: [gpu, linux]
                    """);

            assertThat(spec.name()).isEqualTo("lr-sweep_2.v1");
            assertThat(spec.command()).containsExactly("python3", "train.py", "--lr={lr}", "{seed}");
            assertThat(spec.files()).containsOnly(Map.entry("train.py", "print('hi')"),
                    Map.entry("conf/base.yaml", "epochs: 3"));
            assertThat(spec.env()).containsOnly(Map.entry("THREADS", "4"), Map.entry("VERBOSE", "true"),
                    Map.entry("SEED", "{seed}"));
            assertThat(spec.params()).containsExactly(Map.entry("lr", List.of("0.1", "0.01")),
                    Map.entry("seed", List.of("1", "2", "3")));
            assertThat(spec.timeout()).isEqualTo(Duration.ofMinutes(90));
            assertThat(spec.maxAttempts()).isEqualTo(5);
            assertThat(spec.priority()).isEqualTo(-7);
            assertThat(spec.labels()).containsExactlyInAnyOrder("gpu", "linux");
        }

        @Test
        void when_jsonHasEveryField_then_itGivesTheSameSpecAsYaml() {
            JobSpec fromJson = JobSpecParser.parse("""
                    {
                      "name": "j",
                      "command": ["sh", "run.sh", "{x}"],
                      "files": {"run.sh": "echo $1\\n"},
                      "env": {"N": 4, "DEBUG": false},
                      "params": {"x": "1..3"},
                      "timeout": "PT5M",
                      "maxAttempts": 2,
                      "priority": 10,
                      "labels": ["linux"]
                    }
                    """);
            JobSpec fromYaml = JobSpecParser.parse("""
                    name: j
                    command: [sh, run.sh, '{x}']
                    files: {run.sh: "echo $1\\n"}
                    env: {N: 4, DEBUG: false}
                    params: {x: 1..3}
                    timeout: 5m
                    maxAttempts: 2
                    priority: 10
                    labels: [linux]
                    """);

            assertThat(fromJson).isEqualTo(fromYaml);
            assertThat(fromJson.files()).containsEntry("run.sh", "echo $1\n");
            assertThat(fromJson.env()).containsEntry("DEBUG", "false");
            assertThat(fromJson.params()).containsEntry("x", List.of("1", "2", "3"));
        }

        @Test
        void when_jsonIsIndentedWithTabs_then_itParses() {
            // YAML 1.1 refuses tab indentation; JSON must not go through the YAML reader only.
            JobSpec spec = JobSpecParser.parse("{\n\t\"name\": \"tabs\",\n\t\"command\": [\"echo\", \"a\\/b\"]\n}");

            assertThat(spec.name()).isEqualTo("tabs");
            assertThat(spec.command()).containsExactly("echo", "a/b");
        }

        @Test
        void when_yamlIsAFlowMapping_then_itParsesAlthoughItLooksLikeJson() {
            JobSpec spec = JobSpecParser.parse("{name: flow, command: [echo, hi], maxAttempts: 4}");

            assertThat(spec.name()).isEqualTo("flow");
            assertThat(spec.maxAttempts()).isEqualTo(4);
        }

        @Test
        void when_optionalFieldsAreLeftOut_then_theDefaultsApply() {
            JobSpec spec = JobSpecParser.parse(MINIMAL);

            assertThat(spec.files()).isEmpty();
            assertThat(spec.env()).isEmpty();
            assertThat(spec.params()).isEmpty();
            assertThat(spec.timeout()).isEqualTo(JobSpec.DEFAULT_TIMEOUT).isEqualTo(Duration.ofHours(1));
            assertThat(spec.maxAttempts()).isEqualTo(JobSpec.DEFAULT_MAX_ATTEMPTS).isEqualTo(3);
            assertThat(spec.priority()).isZero();
            assertThat(spec.labels()).isEmpty();
        }

        @Test
        void when_mapAndListSectionsAreEmptyInYaml_then_theyAreEmpty() {
            JobSpec spec = JobSpecParser.parse(minimalWith("files:\nenv:\nparams:\nlabels:\n"));

            assertThat(spec.files()).isEmpty();
            assertThat(spec.env()).isEmpty();
            assertThat(spec.params()).isEmpty();
            assertThat(spec.labels()).isEmpty();
        }

        @Test
        void when_documentStartsWithAByteOrderMark_then_itParses() {
            assertThat(JobSpecParser.parse("\uFEFF" + MINIMAL).name()).isEqualTo("t");
        }

        @Test
        void when_paramValuesAreNumbersOrBooleans_then_theyKeepTheirTextAsWritten() {
            JobSpec spec = JobSpecParser.parse(sweep("v: [1.50, 007, 1e-3, 0x1F, no, yes, True, '1..3', '']", "v"));

            assertThat(spec.params().get("v"))
                    .containsExactly("1.50", "007", "1e-3", "0x1F", "no", "yes", "True", "1..3", "");
        }

        @Test
        void when_envValuesAreNumbersOrBooleans_then_theyBecomeStrings() {
            JobSpec spec = JobSpecParser.parse(minimalWith("env: {N: 8, RATE: 0.25, ON: true, OFF: false}\n"));

            assertThat(spec.env()).containsOnly(Map.entry("N", "8"), Map.entry("RATE", "0.25"),
                    Map.entry("ON", "true"), Map.entry("OFF", "false"));
        }

        @Test
        void when_commandHasNumbers_then_theyBecomeArguments() {
            JobSpec spec = JobSpecParser.parse("name: t\ncommand: [sleep, 5, 0.5]\n");

            assertThat(spec.command()).containsExactly("sleep", "5", "0.5");
        }

        @Test
        void when_fileIsAYamlBlockScalar_then_itsTextKeepsItsLines() {
            JobSpec spec = JobSpecParser.parse(minimalWith("""
                    files:
                      work.sh: |
                        #!/bin/sh
                        echo "$1"
                    """));

            assertThat(spec.files()).containsEntry("work.sh", "#!/bin/sh\necho \"$1\"\n");
        }
    }

    @Nested
    class MalformedDocuments {
        @Test
        void when_yamlIsMalformed_then_oneDocumentErrorGivesLineAndColumn() {
            FieldError error = onlyErrorOf("name: t\ncommand: [echo, hi\nparams: {}\n");

            assertThat(error.field()).isEqualTo("(document)");
            assertThat(error.message()).startsWith("is not valid YAML or JSON: line 3, column 7: ")
                    .contains("expected ',' or ']'")
                    .contains("flow sequence started at line 2, column 10");
        }

        @Test
        void when_yamlIsBadlyIndented_then_theErrorPointsAtTheLine() {
            FieldError error = onlyErrorOf("name: t\ncommand: [echo]\n  maxAttempts: 2\n");

            assertThat(error.field()).isEqualTo("(document)");
            assertThat(error.message()).contains("line 3");
        }

        @Test
        void when_jsonIsMalformed_then_oneDocumentErrorGivesLineAndColumn() {
            FieldError error = onlyErrorOf("{\n  \"name\": \"j\"\n  \"command\": [\"echo\"]\n}");

            assertThat(error.field()).isEqualTo("(document)");
            assertThat(error.message()).startsWith("is not valid YAML or JSON: line 3, column 3: ")
                    .contains("was expecting comma to separate Object entries");
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {"", "   \n\n", "# only a comment\n", "---\n"})
        void when_documentIsEmpty_then_theErrorSaysSo(String document) {
            FieldError error = onlyErrorOf(document);

            assertThat(error.field()).isEqualTo("(document)");
            assertThat(error.message()).startsWith("is empty; a job spec needs at least 'name' and 'command'");
        }

        @Test
        void when_documentIsAList_then_theErrorAsksForAMapping() {
            FieldError error = onlyErrorOf("- name: t\n- command: [echo]\n");

            assertThat(error).isEqualTo(new FieldError("(document)",
                    "must be a mapping of fields (name, command, ...), found a list"));
        }

        @Test
        void when_documentIsAScalar_then_theErrorAsksForAMapping() {
            assertThat(onlyErrorOf("just some text").message())
                    .isEqualTo("must be a mapping of fields (name, command, ...), found the string 'just some text'");
        }

        @Test
        void when_fileHoldsTwoYamlDocuments_then_itIsRefused() {
            FieldError error = onlyErrorOf(MINIMAL + "---\nname: second\ncommand: [echo]\n");

            assertThat(error).isEqualTo(new FieldError("(document)",
                    "has more than one YAML document (more content after '---', at line 4); put one job spec per file"));
        }

        @Test
        void when_jsonHasMoreAfterTheSpec_then_itIsRefused() {
            FieldError error = onlyErrorOf("{\"name\": \"t\", \"command\": [\"echo\"]}\n{\"name\": \"u\"}");

            assertThat(error).isEqualTo(new FieldError("(document)", "has more content after the spec ends, at line 2"));
        }

        @Test
        void when_aKeyIsGivenTwice_then_theErrorNamesBothLines() {
            FieldError error = onlyErrorOf("name: a\ncommand: [echo]\nname: b\n");

            assertThat(error).isEqualTo(new FieldError("name", "is given twice (lines 1 and 3); keep one"));
        }

        @Test
        void when_aParamIsGivenTwice_then_theErrorNamesItsPath() {
            List<FieldError> errors = errorsOf(sweep("x: [1]\nx: [2]", "x"));

            assertThat(errors).containsExactly(new FieldError("params.x", "is given twice (lines 4 and 5); keep one"));
        }

        @Test
        void when_aYamlAliasIsUsed_then_itIsRefused() {
            FieldError error = onlyErrorOf("name: t\ncommand: [echo, *other]\n");

            assertThat(error).isEqualTo(new FieldError("command[1]",
                    "uses the YAML alias *other; aliases and anchors are not supported, write the value out"));
        }

        @Test
        void when_parseIsGivenNull_then_itThrowsNullPointerException() {
            assertThatThrownBy(() -> JobSpecParser.parse(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Nested
    class UnknownFields {
        @Test
        void when_fieldIsMisspelled_then_theErrorSuggestsTheClosestField() {
            List<FieldError> errors = errorsOf("name: t\ncomand: [echo]\n");

            assertThat(errors).contains(new FieldError("comand", "unknown field 'comand'; did you mean 'command'?"));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
                "max-attempts, maxAttempts",
                "max_attempts, maxAttempts",
                "MaxAttempts, maxAttempts",
                "timout, timeout",
                "param, params",
                "label, labels",
                "Name, name",
                "enviroment, env",
                "environment, env",
                "retries, maxAttempts",
                "cmd, command",
                "args, command",
                "tags, labels",
                "prority, priority"})
        void when_fieldIsAVariantOfAKnownField_then_theErrorSuggestsIt(String written, String meant) {
            FieldError error = onlyErrorOf(minimalWith(written + ": 1\n"));

            assertThat(error).isEqualTo(new FieldError(written,
                    "unknown field '" + written + "'; did you mean '" + meant + "'?"));
        }

        @Test
        void when_fieldResemblesNothing_then_theErrorListsTheKnownFields() {
            FieldError error = onlyErrorOf(minimalWith("colour: blue\n"));

            assertThat(error).isEqualTo(new FieldError("colour", "unknown field 'colour'; the fields are name, "
                    + "command, files, env, params, timeout, maxAttempts, priority, labels, maxFailedTasks, resources, "
                    + "network, requires"));
        }
    }

    @Nested
    class TypesAndRequiredFields {
        @Test
        void when_nameIsMissing_then_itIsRequired() {
            assertThat(onlyErrorOf("command: [echo]\n"))
                    .isEqualTo(new FieldError("name", "is required, e.g. name: my-sweep"));
        }

        @Test
        void when_nameIsNull_then_itIsRequired() {
            assertThat(onlyErrorOf("name:\ncommand: [echo]\n").field()).isEqualTo("name");
        }

        @Test
        void when_nameIsAList_then_itMustBeAString() {
            assertThat(onlyErrorOf("name: [a]\ncommand: [echo]\n"))
                    .isEqualTo(new FieldError("name", "must be a string, found a list"));
        }

        @Test
        void when_commandIsMissing_then_itIsRequired() {
            assertThat(onlyErrorOf("name: t\n")).isEqualTo(new FieldError("command",
                    "is required: a list of strings, e.g. [python3, sweep.py, '{x}']"));
        }

        @Test
        void when_commandIsAString_then_theErrorShowsTheListForm() {
            FieldError error = onlyErrorOf("name: t\ncommand: python3 sweep.py {x}\n");

            assertThat(error).isEqualTo(new FieldError("command", "must be a list of strings, "
                    + "e.g. [python3, sweep.py, '{x}']; found the string 'python3 sweep.py {x}'"));
        }

        @Test
        void when_commandElementIsNullOrNested_then_theErrorNamesItsIndex() {
            List<FieldError> errors = errorsOf("name: t\ncommand: [echo, ~, [a], {k: v}]\n");

            assertThat(errors).containsExactly(
                    new FieldError("command[1]", "is null; write a value (quote 'null' if you mean the word)"),
                    new FieldError("command[2]", "must be a single value (string, number or boolean), found a list"),
                    new FieldError("command[3]",
                            "must be a single value (string, number or boolean), found a mapping"));
        }

        @Test
        void when_filesIsAList_then_itMustBeAMapping() {
            assertThat(onlyErrorOf(minimalWith("files: [run.sh]\n"))).isEqualTo(new FieldError("files",
                    "must be a mapping of relative path to text, e.g. {work.sh: 'echo hi'}; found a list"));
        }

        @Test
        void when_fileHasNoText_then_theErrorNamesTheFile() {
            assertThat(onlyErrorOf(minimalWith("files: {run.sh: ~}\n")))
                    .isEqualTo(new FieldError("files.run.sh", "has no text; use '' for an empty file"));
        }

        @Test
        void when_fileTextIsEmpty_then_itIsAccepted() {
            assertThat(JobSpecParser.parse(minimalWith("files: {empty.txt: ''}\n")).files())
                    .containsEntry("empty.txt", "");
        }

        @Test
        void when_envIsAString_then_itMustBeAMapping() {
            assertThat(onlyErrorOf(minimalWith("env: A=1\n"))).isEqualTo(new FieldError("env",
                    "must be a mapping of variable name to value, e.g. {OMP_NUM_THREADS: 4}; found the string 'A=1'"));
        }

        @Test
        void when_envValueIsAListOrNull_then_theErrorNamesTheVariable() {
            List<FieldError> errors = errorsOf(minimalWith("env: {PATHS: [a, b], EMPTY: ~}\n"));

            assertThat(errors).containsExactly(
                    new FieldError("env.PATHS", "must be a single value (string, number or boolean), found a list"),
                    new FieldError("env.EMPTY", "has no value; use '' for an empty value"));
        }

        @Test
        void when_labelsIsAString_then_itMustBeAList() {
            assertThat(onlyErrorOf(minimalWith("labels: gpu\n"))).isEqualTo(new FieldError("labels",
                    "must be a list of strings, e.g. [gpu, linux]; found the string 'gpu'"));
        }

        @Test
        void when_maxAttemptsIsAString_then_itMustBeAWholeNumber() {
            assertThat(onlyErrorOf(minimalWith("maxAttempts: 'three'\n"))).isEqualTo(new FieldError("maxAttempts",
                    "must be a whole number from 1 to 20, found the string 'three'"));
        }

        @Test
        void when_priorityIsAFraction_then_itMustBeAWholeNumber() {
            assertThat(onlyErrorOf(minimalWith("priority: 1.5\n"))).isEqualTo(new FieldError("priority",
                    "must be a whole number from -1000 to 1000, found the number 1.5"));
        }

        @Test
        void when_priorityIsBeyondAnInt_then_theErrorGivesTheRange() {
            assertThat(onlyErrorOf(minimalWith("priority: 99999999999\n"))).isEqualTo(new FieldError("priority",
                    "must be between -1000 and 1000, found 99999999999"));
        }

        @Test
        void when_maxAttemptsIsNull_then_theErrorGivesTheDefault() {
            assertThat(onlyErrorOf(minimalWith("maxAttempts:\n"))).isEqualTo(new FieldError("maxAttempts",
                    "has no value; give a whole number from 1 to 20, or remove it for the default (3)"));
        }

        @Test
        void when_manyFieldsAreWrong_then_everyErrorIsReportedGroupedByField() {
            List<FieldError> errors = errorsOf("""
                    name: 'my job'
                    comand: [echo]
                    files: {../escape.sh: x}
                    env: {1BAD: x}
                    params: {x: 5..1, y: [a]}
                    timeout: 0s
                    maxAttempts: 0
                    priority: 1001
                    labels: ['']
                    """);

            assertThat(errors).extracting(FieldError::field).containsExactly(
                    "comand", "name", "command", "files.../escape.sh", "env.1BAD", "params.x", "params.x",
                    "params.y", "timeout", "maxAttempts", "priority", "labels[0]");
        }

        @Test
        void when_fieldsAreWrongInReverseOrder_then_theErrorsComeInDeclarationOrder() {
            Map<String, String> reversed = new LinkedHashMap<>();
            reversed.put("requires", "x");
            reversed.put("network", "[x]");
            reversed.put("resources", "x");
            reversed.put("maxFailedTasks", "x");
            reversed.put("labels", "x");
            reversed.put("priority", "x");
            reversed.put("maxAttempts", "x");
            reversed.put("timeout", "[x]");
            reversed.put("params", "x");
            reversed.put("env", "x");
            reversed.put("files", "x");
            reversed.put("command", "x");
            reversed.put("name", "[x]");
            String document = reversed.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining("\n"));

            assertThat(errorsOf(document)).extracting(FieldError::field)
                    .containsExactlyElementsOf(JobSpecParser.FIELDS);
        }

        @Test
        void when_specIsRefused_then_theExceptionMessageListsEveryError() {
            InvalidJobSpecException e = catchThrowableOfType(InvalidJobSpecException.class,
                    () -> JobSpecParser.parse("name: t\ncommand: []\nmaxAttempts: 30\n"));

            assertThat(e.getMessage()).isEqualTo("invalid job spec: "
                    + "command: must have at least one element, the program, e.g. [python3, sweep.py, '{x}']; "
                    + "maxAttempts: must be between 1 and 20, found 30");
        }
    }

    @Nested
    class NameRules {
        @Test
        void when_nameIsBlank_then_itIsRefused() {
            assertThat(onlyErrorOf("name: '  '\ncommand: [echo]\n")).isEqualTo(new FieldError("name", "must not be blank"));
        }

        @Test
        void when_nameIs100Characters_then_itIsAccepted() {
            String name = "n".repeat(100);
            assertThat(JobSpecParser.parse("name: " + name + "\ncommand: [echo]\n").name()).isEqualTo(name);
        }

        @Test
        void when_nameIs101Characters_then_theErrorGivesTheLength() {
            assertThat(onlyErrorOf("name: " + "n".repeat(101) + "\ncommand: [echo]\n")).isEqualTo(
                    new FieldError("name", "is 101 characters long; at most 100 are allowed"));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', value = {
                "'my job'|found ' ' at position 3",
                "a/b|found '/' at position 2",
                "café|found 'é' at position 4",
                "x:y|found ':' at position 2"})
        void when_nameHasAForbiddenCharacter_then_theErrorNamesItAndItsPosition(String name, String found) {
            FieldError error = onlyErrorOf("name: \"" + name.replace("'", "") + "\"\ncommand: [echo]\n");

            assertThat(error).isEqualTo(new FieldError("name",
                    "may contain only ASCII letters, digits, '.', '_' and '-'; " + found));
        }

        @Test
        void when_nameUsesDotsUnderscoresAndDashes_then_itIsAccepted() {
            assertThat(JobSpecParser.parse("name: A-z_0.9\ncommand: [echo]\n").name()).isEqualTo("A-z_0.9");
        }
    }

    @Nested
    class CommandRules {
        @Test
        void when_commandIsEmpty_then_itNeedsAProgram() {
            assertThat(onlyErrorOf("name: t\ncommand: []\n")).isEqualTo(new FieldError("command",
                    "must have at least one element, the program, e.g. [python3, sweep.py, '{x}']"));
        }

        @Test
        void when_anArgumentIsEmpty_then_theErrorNamesItsIndex() {
            assertThat(errorsOf("name: t\ncommand: [echo, a, '', b, '']\n")).containsExactly(
                    new FieldError("command[2]", "must not be empty"),
                    new FieldError("command[4]", "must not be empty"));
        }

        @Test
        void when_theProgramIsBlank_then_itIsRefused() {
            assertThat(onlyErrorOf("name: t\ncommand: ['  ', x]\n"))
                    .isEqualTo(new FieldError("command[0]", "is the program and must not be blank"));
        }

        @Test
        void when_anArgumentIsBlank_then_itIsAccepted() {
            assertThat(JobSpecParser.parse("name: t\ncommand: [printf, ' ']\n").command()).containsExactly("printf", " ");
        }

        @Test
        void when_anArgumentHoldsNul_then_itIsRefused() {
            assertThat(onlyErrorOf("name: t\ncommand: [echo, \"a\\0b\"]\n"))
                    .isEqualTo(new FieldError("command[1]", "must not contain the NUL character"));
        }
    }

    @Nested
    class ParamRules {
        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', value = {
                "1..5|1,2,3,4,5",
                "3..3|3",
                "-2..2|-2,-1,0,1,2",
                "0..10:5|0,5,10",
                "0..10:3|0,3,6,9",
                "1..2:10|1",
                "' 1 .. 3 '|1,2,3",
                "'8..10'|8,9,10",
                "007..9|7,8,9"})
        void when_paramIsARange_then_itExpandsToItsIntegersInclusive(String range, String expected) {
            JobSpec spec = JobSpecParser.parse(sweep("x: " + range, "x"));

            assertThat(spec.params().get("x")).containsExactly(expected.split(","));
        }

        @Test
        void when_rangeIsWrittenInJson_then_itExpands() {
            JobSpec spec = JobSpecParser.parse(
                    "{\"name\": \"t\", \"command\": [\"echo\", \"{x}\"], \"params\": {\"x\": \"1..4:2\"}}");

            assertThat(spec.params().get("x")).containsExactly("1", "3");
        }

        @Test
        void when_rangeIsDescending_then_theErrorSuggestsTheAscendingForm() {
            assertThat(onlyErrorOf(sweep("x: 5..1", "x"))).isEqualTo(new FieldError("params.x",
                    "range 5..1 counts down; write it as 1..5 (a range goes up from its first number)"));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"a..b", "1..", "..5", "1...5", "1.5..3", "1..5:x", "1..5..7"})
        void when_rangeIsMalformed_then_theErrorShowsTheForms(String range) {
            FieldError error = onlyErrorOf(sweep("x: '" + range + "'", "x"));

            assertThat(error).isEqualTo(new FieldError("params.x", "'" + range + "' is not a range; write "
                    + "FROM..TO or FROM..TO:STEP with whole numbers, e.g. 1..10 or 0..100:5 (for one value "
                    + "containing '..', put it in a list: ['" + range + "'])"));
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {"1..5:0|0", "1..5:-1|-1"})
        void when_rangeStepIsNotPositive_then_itIsRefused(String range, String step) {
            assertThat(onlyErrorOf(sweep("x: '" + range + "'", "x"))).isEqualTo(new FieldError("params.x",
                    "range " + range + " has step " + step + "; the step must be at least 1"));
        }

        @Test
        void when_rangeIsHuge_then_itIsRefusedWithoutBeingBuilt() {
            assertThat(onlyErrorOf(sweep("x: 1..99999999999999999999", "x"))).isEqualTo(new FieldError("params.x",
                    "range 1..99999999999999999999 has 99999999999999999999 values; a sweep may have at most "
                            + "100000 tasks"));
        }

        @Test
        void when_aRangeIsInsideAList_then_itIsAPlainValue() {
            assertThat(JobSpecParser.parse(sweep("x: ['1..3', ../data]", "x")).params().get("x"))
                    .containsExactly("1..3", "../data");
        }

        @Test
        void when_paramIsASingleScalar_then_itIsAOneValueList() {
            JobSpec spec = JobSpecParser.parse(sweep("n: 7\nmode: fast\nflag: false", "n", "mode", "flag"));

            assertThat(spec.params()).containsExactly(Map.entry("n", List.of("7")),
                    Map.entry("mode", List.of("fast")), Map.entry("flag", List.of("false")));
        }

        @Test
        void when_paramsAreGiven_then_theirOrderIsKept() {
            JobSpec spec = JobSpecParser.parse(sweep("z: [1]\na: [2]\nm: [3]", "z", "a", "m"));

            assertThat(spec.params().keySet()).containsExactly("z", "a", "m");
        }

        @Test
        void when_paramIsNotUsed_then_errorNamesIt() {
            FieldError error = onlyErrorOf(sweep("x: [1, 2]\ny: [a, b]", "x"));

            assertThat(error).isEqualTo(new FieldError("params.y", "param 'y' is not used in command or env; "
                    + "put '{y}' where its value goes (files are not substituted), or remove it"));
        }

        @Test
        void when_paramIsUsedOnlyInEnv_then_itCounts() {
            JobSpec spec = JobSpecParser.parse("name: t\ncommand: [env]\nenv: {SEED: 's-{seed}'}\nparams: {seed: [1]}\n");

            assertThat(spec.params()).containsKey("seed");
        }

        @Test
        void when_paramIsUsedOnlyInAFile_then_itIsNotUsed() {
            FieldError error = onlyErrorOf("name: t\ncommand: [sh, a.sh]\nfiles: {a.sh: 'echo {x}'}\nparams: {x: [1]}\n");

            assertThat(error.field()).isEqualTo("params.x");
            assertThat(error.message()).startsWith("param 'x' is not used in command or env");
        }

        @Test
        void when_paramIsUsedOnlyAsAnEnvKey_then_itIsNotUsed() {
            // Keys are not substituted, and '{x}' is no variable name either.
            assertThat(errorsOf("name: t\ncommand: [env]\nenv: {'{x}': v}\nparams: {x: [1]}\n"))
                    .extracting(FieldError::field).containsExactly("env.{x}", "params.x");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"2x", "a-b", "x y", "é"})
        void when_paramNameIsNotAnIdentifier_then_itIsRefused(String name) {
            FieldError error = onlyErrorOf(sweep("'" + name + "': [1]", name));

            assertThat(error).isEqualTo(new FieldError("params." + name, "'" + name + "' is not a valid parameter "
                    + "name; use ASCII letters, digits and '_', not starting with a digit"));
        }

        @Test
        void when_paramNameStartsWithUnderscore_then_itIsAccepted() {
            assertThat(JobSpecParser.parse(sweep("_x9: [1]", "_x9")).params()).containsKey("_x9");
        }

        @Test
        void when_paramHasNoValues_then_itIsRefused() {
            assertThat(onlyErrorOf(sweep("x: []", "x")))
                    .isEqualTo(new FieldError("params.x", "has no values; give at least one"));
        }

        @Test
        void when_paramIsNull_then_theErrorShowsTheForms() {
            assertThat(onlyErrorOf(sweep("x:", "x"))).isEqualTo(new FieldError("params.x",
                    "has no value; give a list, a range such as 1..10, or a single value"));
        }

        @Test
        void when_paramIsAMapping_then_itIsRefused() {
            assertThat(onlyErrorOf(sweep("x: {from: 1, to: 5}", "x"))).isEqualTo(new FieldError("params.x",
                    "must be a list of values, a range such as 1..10, or a single value; found a mapping"));
        }

        @Test
        void when_paramValueIsNullOrNested_then_theErrorNamesItsIndex() {
            assertThat(errorsOf(sweep("x: [1, ~, [2]]", "x"))).containsExactly(
                    new FieldError("params.x[1]", "is null; write a value (quote 'null' if you mean the word)"),
                    new FieldError("params.x[2]", "must be a single value (string, number or boolean), found a list"));
        }

        @Test
        void when_paramsIsAList_then_itMustBeAMapping() {
            assertThat(onlyErrorOf(minimalWith("params: [x, y]\n"))).isEqualTo(new FieldError("params",
                    "must be a mapping of parameter name to values, e.g. {x: 1..10, y: [a, b]}; found a list"));
        }

        @Test
        void when_sweepHasExactly100000Tasks_then_itIsAccepted() {
            JobSpec spec = JobSpecParser.parse(sweep("a: 1..100\nb: 1..1000", "a", "b"));

            assertThat(SweepExpander.taskCount(spec)).isEqualTo(100_000);
        }

        @Test
        void when_sweepHasMoreThan100000Tasks_then_theErrorNamesTheCount() {
            assertThat(onlyErrorOf(sweep("a: 1..100\nb: 1..1001", "a", "b"))).isEqualTo(new FieldError("params",
                    "the sweep has 100100 tasks (100 x 1001); at most 100000 are allowed"));
        }

        @Test
        void when_sweepCountOverflowsLong_then_theErrorStillNamesTheExactCount() {
            String[] names = IntStream.range(0, 11).mapToObj(i -> "p" + i).toArray(String[]::new);
            String params = Arrays.stream(names).map(n -> n + ": 1..100").collect(Collectors.joining("\n"));

            FieldError error = onlyErrorOf(sweep(params, names));

            assertThat(error.field()).isEqualTo("params");
            assertThat(error.message()).startsWith("the sweep has 1" + "00".repeat(11) + " tasks (100 x 100 x");
        }

        @Test
        void when_aSingleRangeHasMoreThan100000Values_then_theRangeIsRefused() {
            assertThat(onlyErrorOf(sweep("x: 1..100001", "x"))).isEqualTo(new FieldError("params.x",
                    "range 1..100001 has 100001 values; a sweep may have at most 100000 tasks"));
        }
    }

    @Nested
    class DurationRules {
        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
                "90s, PT1M30S",
                "5m, PT5M",
                "1h, PT1H",
                "1h30m, PT1H30M",
                "250ms, PT0.25S",
                "2d, PT48H",
                "1d12h, PT36H",
                "1m30s500ms, PT1M30.5S",
                "PT5M, PT5M",
                "pt5m, PT5M",
                "P1DT2H, PT26H",
                "'\"45\"', PT45S",
                "90, PT1M30S",
                "7d, PT168H"})
        void when_timeoutIsWrittenInAnAcceptedForm_then_itIsRead(String written, String iso) {
            assertThat(JobSpecParser.parse(minimalWith("timeout: " + written + "\n")).timeout())
                    .isEqualTo(Duration.parse(iso));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"5 minutes", "1.5h", "5M", "h", "1h-5m", "PT5X", "''", "1w"})
        void when_timeoutIsNotADuration_then_theErrorShowsTheForms(String written) {
            FieldError error = onlyErrorOf(minimalWith("timeout: \"" + written.replace("'", "") + "\"\n"));

            assertThat(error).isEqualTo(new FieldError("timeout", "'" + written.replace("'", "")
                    + "' is not a duration; write e.g. 90s, 5m, 1h30m, 250ms, PT5M, or a whole number of seconds"));
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {"1.5|the number 1.5", "true|the boolean true", "[5m]|a list"})
        void when_timeoutIsNeitherTextNorWholeNumber_then_theErrorSaysWhatWasFound(String written, String found) {
            assertThat(onlyErrorOf(minimalWith("timeout: " + written + "\n"))).isEqualTo(new FieldError("timeout",
                    "must be a duration, e.g. 90s, 5m, 1h30m, 250ms, PT5M, or a whole number of seconds; found "
                            + found));
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({"0, 0s", "0s, 0s", "-5, -5s", "-PT1M, -1m"})
        void when_timeoutIsNotPositive_then_itIsRefused(String written, String shown) {
            assertThat(onlyErrorOf(minimalWith("timeout: " + written + "\n")))
                    .isEqualTo(new FieldError("timeout", "must be more than 0, found " + shown));
        }

        @Test
        void when_timeoutIsOverSevenDays_then_itIsRefused() {
            assertThat(onlyErrorOf(minimalWith("timeout: 7d1ms\n"))).isEqualTo(
                    new FieldError("timeout", "must be at most 7 days (7d), found 7d1ms"));
        }

        @Test
        void when_timeoutOverflows_then_itIsRefusedNotCrashed() {
            assertThat(onlyErrorOf(minimalWith("timeout: 99999999999999999999\n"))).isEqualTo(
                    new FieldError("timeout", "is 99999999999999999999 seconds; at most 7 days is allowed"));
            assertThat(onlyErrorOf(minimalWith("timeout: 9999999999999999999d\n")).message())
                    .startsWith("'9999999999999999999d' is not a duration");
        }

        @Test
        void when_timeoutIsNull_then_theErrorGivesTheDefault() {
            assertThat(onlyErrorOf(minimalWith("timeout:\n"))).isEqualTo(new FieldError("timeout",
                    "has no value; give one, e.g. 90s, 5m, 1h30m, 250ms, PT5M, or a whole number of seconds, "
                            + "or remove it for the default (1h)"));
        }
    }

    @Nested
    class AttemptsPriorityAndLabels {
        @ParameterizedTest(name = "maxAttempts {0}")
        @ValueSource(ints = {1, 20})
        void when_maxAttemptsIsAtABound_then_itIsAccepted(int value) {
            assertThat(JobSpecParser.parse(minimalWith("maxAttempts: " + value + "\n")).maxAttempts()).isEqualTo(value);
        }

        @ParameterizedTest(name = "maxAttempts {0}")
        @ValueSource(ints = {0, 21, -1})
        void when_maxAttemptsIsOutOfBounds_then_itIsRefused(int value) {
            assertThat(onlyErrorOf(minimalWith("maxAttempts: " + value + "\n")))
                    .isEqualTo(new FieldError("maxAttempts", "must be between 1 and 20, found " + value));
        }

        @ParameterizedTest(name = "priority {0}")
        @ValueSource(ints = {-1000, 0, 1000})
        void when_priorityIsWithinBounds_then_itIsAccepted(int value) {
            assertThat(JobSpecParser.parse(minimalWith("priority: " + value + "\n")).priority()).isEqualTo(value);
        }

        @ParameterizedTest(name = "priority {0}")
        @ValueSource(ints = {-1001, 1001})
        void when_priorityIsOutOfBounds_then_itIsRefused(int value) {
            assertThat(onlyErrorOf(minimalWith("priority: " + value + "\n")))
                    .isEqualTo(new FieldError("priority", "must be between -1000 and 1000, found " + value));
        }

        @Test
        void when_aLabelIsBlank_then_theErrorNamesItsIndex() {
            assertThat(onlyErrorOf(minimalWith("labels: [gpu, '  ']\n")))
                    .isEqualTo(new FieldError("labels[1]", "must not be blank"));
        }

        @Test
        void when_aLabelHasSurroundingWhitespace_then_itIsRefused() {
            assertThat(onlyErrorOf(minimalWith("labels: ['gpu ']\n"))).isEqualTo(new FieldError("labels[0]",
                    "label 'gpu ' starts or ends with whitespace; node labels never do, so it would match no node"));
        }

        @Test
        void when_maxFailedTasksIsLeftOut_then_theJobRunsEveryTaskAndTheCanonicalJsonSaysSo() {
            JobSpec spec = JobSpecParser.parse(minimalWith(""));

            assertThat(spec.maxFailedTasks()).isNull();
            assertThat(JobSpecParser.parse(spec.toJson())).isEqualTo(spec);
        }

        @ParameterizedTest(name = "maxFailedTasks {0}")
        @ValueSource(ints = {0, 7})
        void when_maxFailedTasksIsGiven_then_itSurvivesTheRoundTrip(int value) {
            JobSpec spec = JobSpecParser.parse(minimalWith("maxFailedTasks: " + value + "\n"));

            assertThat(spec.maxFailedTasks()).isEqualTo(value);
            assertThat(JobSpecParser.parse(spec.toJson())).isEqualTo(spec);
        }

        @Test
        void when_maxFailedTasksIsNegative_then_itIsRefused() {
            assertThat(onlyErrorOf(minimalWith("maxFailedTasks: -1\n")))
                    .isEqualTo(new FieldError("maxFailedTasks", "must be between 0 and 100000, found -1"));
        }

        @Test
        void when_failFastIsWritten_then_theErrorPointsAtMaxFailedTasks() {
            assertThat(onlyErrorOf(minimalWith("failFast: true\n")).message()).contains("maxFailedTasks");
        }

        @Test
        void when_aLabelIsRepeated_then_itCountsOnce() {
            assertThat(JobSpecParser.parse(minimalWith("labels: [gpu, gpu, linux]\n")).labels())
                    .containsExactlyInAnyOrder("gpu", "linux");
        }
    }

    @Nested
    class FileRules {
        @Test
        void when_filesAreRelativePaths_then_theyAreAccepted() {
            JobSpec spec = JobSpecParser.parse(minimalWith("files: {run.sh: a, scripts/lib/x.py: b, .hidden: c}\n"));

            assertThat(spec.files()).containsOnlyKeys("run.sh", "scripts/lib/x.py", ".hidden");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "../x.sh|must not contain '..'; files are written inside the task's working directory",
                "a/../../x|must not contain '..'; files are written inside the task's working directory",
                "/etc/passwd|must be a relative path inside the task's working directory, e.g. scripts/run.sh",
                "C:/x.bat|must be a relative path inside the task's working directory, e.g. scripts/run.sh",
                "a\\b.sh|must use '/' to separate directories, not '\\'",
                "a//b|has an empty segment ('//' or a '/' at the end); name a file, e.g. data/input.txt",
                "dir/|has an empty segment ('//' or a '/' at the end); name a file, e.g. data/input.txt",
                "./x.sh|must not contain '.' segments; write the path without them, e.g. run.sh"})
        void when_filePathIsUnsafe_then_theErrorNamesThePath(String path, String message) {
            FieldError error = onlyErrorOf(minimalWith("files: {'" + path + "': text}\n"));

            assertThat(error).isEqualTo(new FieldError("files." + path, message));
        }

        @Test
        void when_fileNameIsEmpty_then_itIsRefused() {
            assertThat(onlyErrorOf(minimalWith("files: {'': text}\n")))
                    .isEqualTo(new FieldError("files", "a file name is empty"));
        }

        @Test
        void when_fileNameHasAControlCharacter_then_itIsRefused() {
            assertThat(onlyErrorOf(minimalWith("files: {\"a\\tb\": text}\n")))
                    .isEqualTo(new FieldError("files.a\tb", "must not contain control characters"));
        }

        @Test
        void when_fileContentIsExactlyOneMebibyte_then_itIsAccepted() {
            JobSpec spec = aSpec().file("a.txt", "x".repeat(512 * 1024)).file("b.txt", "é".repeat(256 * 1024))
                    .build();

            assertThat(spec.files()).hasSize(2);
        }

        @Test
        void when_fileContentIsOverOneMebibyte_then_theErrorGivesTheSize() {
            // é is two bytes in UTF-8: the limit is on bytes, not characters.
            List<FieldError> errors = errorsOf(aSpec().file("a.txt", "x".repeat(512 * 1024))
                    .file("b.txt", "é".repeat(256 * 1024) + "!"));

            assertThat(errors).containsExactly(new FieldError("files", "hold 1048577 bytes of content in all; "
                    + "at most 1 MiB (1048576 bytes) is allowed, put larger inputs on shared storage"));
        }

        @Test
        void when_aLargeFileIsInlineInYaml_then_itIsRead() {
            String content = "y".repeat(1024 * 1024);

            JobSpec spec = JobSpecParser.parse(minimalWith("files:\n  big.txt: " + content + "\n"));

            assertThat(spec.files().get("big.txt")).hasSize(1024 * 1024);
        }
    }

    @Nested
    class EnvRules {
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"1X", "A-B", "A B", "PATH="})
        void when_envKeyIsNotAVariableName_then_itIsRefused(String key) {
            assertThat(onlyErrorOf(minimalWith("env: {'" + key + "': v}\n"))).isEqualTo(new FieldError("env." + key,
                    "'" + key + "' is not a valid variable name; use ASCII letters, digits and '_', not starting "
                            + "with a digit"));
        }

        @Test
        void when_envKeysAreIdentifiers_then_theyAreAccepted() {
            assertThat(JobSpecParser.parse(minimalWith("env: {_X1: a, lower: b, UP_2: ''}\n")).env())
                    .containsOnlyKeys("_X1", "lower", "UP_2");
        }

        @Test
        void when_envValueHoldsNul_then_itIsRefused() {
            assertThat(onlyErrorOf(minimalWith("env: {A: \"x\\0\"}\n")))
                    .isEqualTo(new FieldError("env.A", "must not contain the NUL character"));
        }
    }

    @Nested
    class ValidatingSpecsBuiltInCode {
        @Test
        void when_builtSpecIsValid_then_buildReturnsIt() {
            JobSpec spec = JobSpec.builder("built").command("sh", "run.sh", "{x}").param("x", List.of(1, 2))
                    .file("run.sh", "echo $1").env("A", "b").timeout(Duration.ofSeconds(30)).maxAttempts(2)
                    .priority(5).label("gpu").build();

            assertThat(JobSpecParser.validate(spec)).isSameAs(spec);
            assertThat(spec.params()).containsEntry("x", List.of("1", "2"));
        }

        @Test
        void when_builtSpecBreaksSeveralRules_then_eachIsReported() {
            List<FieldError> errors = errorsOf(JobSpec.builder("bad name").command().param("y", List.of("a"))
                    .timeout(Duration.ofDays(8)).maxAttempts(0).priority(-2000).label(" "));

            assertThat(errors).extracting(FieldError::field, FieldError::message).containsExactly(
                    tuple("name", "may contain only ASCII letters, digits, '.', '_' and '-'; found ' ' at position 4"),
                    tuple("command", "must have at least one element, the program, e.g. [python3, sweep.py, '{x}']"),
                    tuple("params.y", "param 'y' is not used in command or env; put '{y}' where its value goes "
                            + "(files are not substituted), or remove it"),
                    tuple("timeout", "must be at most 7 days (7d), found 8d"),
                    tuple("maxAttempts", "must be between 1 and 20, found 0"),
                    tuple("priority", "must be between -1000 and 1000, found -2000"),
                    tuple("labels", "must not contain a blank label"));
        }

        @Test
        void when_nameOrTimeoutIsNull_then_theyAreRequired() {
            JobSpec spec = new JobSpec(null, List.of("echo"), Map.of(), Map.of(), Map.of(), null, 1, 0, Set.of(), null,
                    Resources.DEFAULT, NetworkAccess.ALLOWED, Set.of());

            assertThatThrownBy(() -> JobSpecParser.validate(spec)).isInstanceOf(InvalidJobSpecException.class)
                    .extracting(e -> ((InvalidJobSpecException) e).errors())
                    .isEqualTo(List.of(new FieldError("name", "is required"), new FieldError("timeout", "is required")));
        }

        @Test
        void when_builtParamHasNoValues_then_itIsRefused() {
            assertThat(errorsOf(aSpec().command("echo", "{x}").param("x", List.of())))
                    .containsExactly(new FieldError("params.x", "has no values; give at least one"));
        }

        @Test
        void when_builtSweepIsTooLarge_then_theErrorNamesTheCount() {
            List<Integer> thousand = IntStream.range(0, 1000).boxed().toList();
            JobSpec.Builder builder = aSpec().command("echo", "{a}", "{b}", "{c}", "{d}")
                    .param("a", thousand).param("b", thousand).param("c", thousand).param("d", thousand);

            assertThat(errorsOf(builder)).containsExactly(new FieldError("params",
                    "the sweep has 1000000000000 tasks (1000 x 1000 x 1000 x 1000); at most 100000 are allowed"));
        }

        @Test
        void when_builtFilePathEscapes_then_itIsRefused() {
            assertThat(errorsOf(aSpec().file("../../etc/cron.d/x", "boom"))).containsExactly(
                    new FieldError("files.../../etc/cron.d/x",
                            "must not contain '..'; files are written inside the task's working directory"));
        }

        @Test
        void when_builtEnvKeyIsInvalid_then_itIsRefused() {
            assertThat(errorsOf(aSpec().env("9LIVES", "x"))).extracting(FieldError::field).containsExactly("env.9LIVES");
        }
    }

    @Nested
    class CanonicalJson {
        @Test
        void when_specIsWrittenAsJson_then_itIsCanonical() {
            JobSpec spec = JobSpec.builder("canon").command("sh", "w.sh", "{z}", "{a}")
                    .file("w.sh", "echo \"$1\"\n").file("a.txt", "")
                    .env("ZED", "1").env("ALPHA", "{a}")
                    .param("z", List.of(2, 1)).param("a", List.of("x"))
                    .timeout(Duration.ofMinutes(1)).maxAttempts(2).priority(-3)
                    .label("linux").label("gpu").build();

            assertThat(JobSpecParser.toJson(spec)).isEqualTo("{\"name\":\"canon\","
                    + "\"command\":[\"sh\",\"w.sh\",\"{z}\",\"{a}\"],"
                    + "\"files\":{\"a.txt\":\"\",\"w.sh\":\"echo \\\"$1\\\"\\n\"},"
                    + "\"env\":{\"ALPHA\":\"{a}\",\"ZED\":\"1\"},"
                    + "\"params\":{\"z\":[\"2\",\"1\"],\"a\":[\"x\"]},"
                    + "\"timeout\":\"PT1M\",\"maxAttempts\":2,\"priority\":-3,\"labels\":[\"gpu\",\"linux\"],"
                    + "\"maxFailedTasks\":null,"
                    + "\"resources\":{\"cpus\":1.0,\"memory\":536870912,\"disk\":1073741824,\"processes\":256},"
                    + "\"network\":\"allowed\",\"requires\":[]}");
            assertThat(spec.toJson()).isEqualTo(JobSpecParser.toJson(spec));
        }

        @Test
        void when_jsonIsParsedBack_then_theSpecIsEqualAndParamsKeepTheirOrder() {
            JobSpec spec = JobSpecParser.parse("""
                    name: round
                    command: [run, '{z}', '{a}', '{m}']
                    files: {x/y.txt: "line\\n", b: "tab\\t"}
                    env: {E: '{m}-{z}', N: 5}
                    params:
                      z: [1.50, 'null', '1..3', 'with space', '{a}']
                      a: 1..3
                      m: true
                    timeout: 250ms
                    maxAttempts: 20
                    priority: -1000
                    labels: [b, a]
                    """);

            JobSpec again = JobSpecParser.parse(JobSpecParser.toJson(spec));

            assertThat(again).isEqualTo(spec);
            assertThat(again.params().keySet()).containsExactly("z", "a", "m");
            assertThat(again.params().get("z")).containsExactly("1.50", "null", "1..3", "with space", "{a}");
            assertThat(JobSpecParser.toJson(again)).isEqualTo(JobSpecParser.toJson(spec));
        }

        @Test
        void when_timeoutHasSubMillisecondPrecision_then_itSurvivesTheRoundTrip() {
            JobSpec spec = aSpec().timeout(Duration.ofNanos(1_500_000_001L)).build();

            assertThat(JobSpecParser.toJson(spec)).contains("\"timeout\":\"PT1.500000001S\"");
            assertThat(JobSpecParser.parse(JobSpecParser.toJson(spec)).timeout()).isEqualTo(spec.timeout());
        }
    }

    @Nested
    class ReadingFiles {
        @TempDir
        Path dir;

        @Test
        void when_fileHoldsASpec_then_itIsParsed() throws IOException {
            Path file = dir.resolve("job.yaml");
            Files.writeString(file, MINIMAL + "env: {GREETING: 'grüße'}\n", StandardCharsets.UTF_8);

            JobSpec spec = JobSpecParser.read(file);

            assertThat(spec.name()).isEqualTo("t");
            assertThat(spec.env()).containsEntry("GREETING", "grüße");
            assertThat(JobSpec.read(file)).isEqualTo(spec);
        }

        @Test
        void when_fileIsMissing_then_theErrorIsOnTheFile() {
            Path file = dir.resolve("nope.yaml");

            InvalidJobSpecException e = catchThrowableOfType(InvalidJobSpecException.class,
                    () -> JobSpecParser.read(file));

            assertThat(e.errors()).containsExactly(new FieldError("(file)", "cannot read " + file + ": no such file"));
        }

        @Test
        void when_fileIsNotUtf8_then_theErrorSaysSo() throws IOException {
            Path file = dir.resolve("latin1.yaml");
            Files.write(file, "name: caf\u00e9\ncommand: [echo]\n".getBytes(StandardCharsets.ISO_8859_1));

            InvalidJobSpecException e = catchThrowableOfType(InvalidJobSpecException.class,
                    () -> JobSpecParser.read(file));

            assertThat(e.errors()).containsExactly(
                    new FieldError("(file)", "cannot read " + file + ": it is not UTF-8 text"));
        }

        @Test
        void when_pathIsADirectory_then_theErrorIsOnTheFile() {
            InvalidJobSpecException e = catchThrowableOfType(InvalidJobSpecException.class,
                    () -> JobSpecParser.read(dir));

            assertThat(e.errors()).hasSize(1);
            assertThat(e.errors().get(0).field()).isEqualTo("(file)");
            assertThat(e.errors().get(0).message()).startsWith("cannot read " + dir + ": ");
        }

        @Test
        void when_fileHoldsAnInvalidSpec_then_theErrorsAreTheSpecsErrors() throws IOException {
            Path file = dir.resolve("bad.json");
            Files.writeString(file, "{\"name\": \"t\"}");

            InvalidJobSpecException e = catchThrowableOfType(InvalidJobSpecException.class,
                    () -> JobSpecParser.read(file));

            assertThat(e.errors()).extracting(FieldError::field).containsExactly("command");
        }

        @Test
        void when_theExampleSweepIsRead_then_itHas24Tasks() {
            JobSpec spec = JobSpecParser.read(Path.of("..", "config", "examples", "sweep.yaml"));

            assertThat(spec.name()).isEqualTo("square-sweep");
            assertThat(spec.command()).containsExactly("sh", "work.sh", "{x}", "{y}");
            assertThat(spec.params()).containsExactly(Map.entry("x", List.of("1", "2", "3", "4", "5", "6")),
                    Map.entry("y", List.of("a", "b", "c", "d")));
            assertThat(spec.files().get("work.sh")).contains("square=$(( $1 * $1 ))");
            assertThat(spec.timeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(spec.maxAttempts()).isEqualTo(2);
            assertThat(SweepExpander.taskCount(spec)).isEqualTo(24);
            List<TaskDefinition> tasks = SweepExpander.expand(spec);
            assertThat(tasks).hasSize(24);
            assertThat(tasks.get(0).argv()).containsExactly("sh", "work.sh", "1", "a");
            assertThat(tasks.get(23).argv()).containsExactly("sh", "work.sh", "6", "d");
        }
    }

    @Nested
    class ResourcesNetworkAndRequires {
        @Test
        void when_specHasNoResourcesNetworkOrRequires_then_theDefaultsApply() {
            JobSpec spec = JobSpecParser.parse(MINIMAL);

            assertThat(spec.resources()).isEqualTo(Resources.DEFAULT);
            assertThat(spec.network()).isEqualTo(NetworkAccess.ALLOWED);
            assertThat(spec.requires()).isEmpty();
            assertThat(spec.requiredProtections()).isEmpty();
        }

        @Test
        void when_aSpecWasStoredBeforeTheseFieldsExisted_then_itStillParsesWithTheDefaults() {
            String stored = """
                    {"name":"old","command":["echo","{x}"],"files":{},"env":{},"params":{"x":["1","2"]},\
                    "timeout":"PT1M","maxAttempts":3,"priority":0,"labels":["gpu"],"maxFailedTasks":null}""";

            JobSpec spec = JobSpecParser.parse(stored);

            assertThat(spec.resources()).isEqualTo(Resources.DEFAULT);
            assertThat(spec.network()).isEqualTo(NetworkAccess.ALLOWED);
            assertThat(spec.requires()).isEmpty();
        }

        @Test
        void when_everyResourceIsGiven_then_eachIsRead() {
            JobSpec spec = JobSpecParser.parse(minimalWith(
                    "resources: {cpus: 0.5, memory: 256MiB, disk: 1GiB, processes: 64}\n"));

            assertThat(spec.resources()).isEqualTo(new Resources(0.5, 256L << 20, 1L << 30, 64));
        }

        @Test
        void when_someResourcesAreLeftOut_then_theyTakeTheirDefaults() {
            JobSpec spec = JobSpecParser.parse(minimalWith("resources:\n  memory: 2GiB\n"));

            assertThat(spec.resources()).isEqualTo(new Resources(Resources.DEFAULT.cpus(), 2L << 30,
                    Resources.DEFAULT.diskBytes(), Resources.DEFAULT.processes()));
        }

        @ParameterizedTest(name = "{0} -> {1} bytes")
        @CsvSource(delimiter = '|', value = {
                "268435456 | 268435456", "'256MiB' | 268435456", "'256mib' | 268435456", "'1.5 GiB' | 1610612736",
                "'512M' | 536870912", "'512m' | 536870912", "'512Mi' | 536870912", "'500MB' | 500000000",
                "'500 mb' | 500000000", "'64K' | 65536", "'64KB' | 64000", "'64KiB' | 65536",
                "'2G' | 2147483648", "'2GB' | 2000000000", "'1T' | 1099511627776", "'1TB' | 1000000000000",
                "'8388608B' | 8388608", "'0.5GiB' | 536870912", "'1.0000001 MB' | 1000001"})
        void when_aSizeIsWrittenAsPeopleWriteIt_then_itIsRead(String written, long bytes) {
            assertThat(Sizes.parse(written)).contains(bytes);
            if (bytes >= 4L << 20) {
                JobSpec spec = JobSpecParser.parse(minimalWith("resources: {memory: " + written + "}\n"));
                assertThat(spec.resources().memoryBytes()).isEqualTo(bytes);
            }
        }

        @ParameterizedTest(name = "{0} -> {1} cpus")
        @CsvSource(delimiter = '|', value = {"0.5 | 0.5", "2 | 2.0", "'500m' | 0.5", "'1500m' | 1.5",
                "'0.25' | 0.25", "'1m' | 0.001", "1024 | 1024.0"})
        void when_cpusAreCoresOrMillicores_then_theyAreRead(String written, double cpus) {
            JobSpec spec = JobSpecParser.parse(minimalWith("resources: {cpus: " + written + "}\n"));

            assertThat(spec.resources().cpus()).isEqualTo(cpus);
        }

        @Test
        void when_networkIsNone_then_noNetworkIsARequiredProtection() {
            JobSpec spec = JobSpecParser.parse(minimalWith("network: none\nrequires: [memory-limit]\n"));

            assertThat(spec.network()).isEqualTo(NetworkAccess.NONE);
            assertThat(spec.requires()).containsExactly(Protection.MEMORY_LIMIT);
            assertThat(spec.requiredProtections())
                    .containsExactlyInAnyOrder(Protection.MEMORY_LIMIT, Protection.NO_NETWORK);
        }

        @Test
        void when_networkIsAllowedInAnyCase_then_itIsRead() {
            assertThat(JobSpecParser.parse(minimalWith("network: Allowed\n")).network())
                    .isEqualTo(NetworkAccess.ALLOWED);
        }

        @Test
        void when_requiresNamesProtections_then_eachIsRead() {
            JobSpec spec = JobSpecParser.parse(minimalWith(
                    "requires: [memory-limit, CPU-LIMIT, no-network, separate-user, memory-limit]\n"));

            assertThat(spec.requires()).containsExactlyInAnyOrder(Protection.MEMORY_LIMIT, Protection.CPU_LIMIT,
                    Protection.NO_NETWORK, Protection.SEPARATE_USER);
            assertThat(spec.network()).isEqualTo(NetworkAccess.ALLOWED);
        }

        @Test
        void when_aSpecWithResourcesIsWrittenAsJson_then_itIsCanonicalAndReadsBack() {
            JobSpec spec = JobSpecParser.parse(minimalWith("""
                    resources: {cpus: 500m, memory: 256MiB, disk: 2GB, processes: 64}
                    network: none
                    requires: [pid-isolation, memory-limit]
                    """));

            String json = spec.toJson();

            assertThat(json).endsWith("\"resources\":{\"cpus\":0.5,\"memory\":268435456,\"disk\":2000000000,"
                    + "\"processes\":64},\"network\":\"none\",\"requires\":[\"memory-limit\",\"pid-isolation\"]}");
            assertThat(JobSpecParser.parse(json)).isEqualTo(spec);
        }

        @Test
        void when_builtWithResources_then_theBuilderKeepsThem() {
            JobSpec spec = aSpec().resources(new Resources(2, 1L << 30, 1L << 30, 10)).network(NetworkAccess.NONE)
                    .requires(Protection.DISK_LIMIT).build();

            assertThat(spec.resources().cpus()).isEqualTo(2);
            assertThat(spec.requiredProtections()).containsExactlyInAnyOrder(Protection.DISK_LIMIT,
                    Protection.NO_NETWORK);
        }

        @Test
        void when_builtResourcesAreOutOfBounds_then_eachIsReportedWithItsPath() {
            List<FieldError> errors = errorsOf(aSpec().resources(new Resources(2000, 1L << 20, 1024, 200_000)));

            assertThat(errors).extracting(FieldError::field).containsExactly("resources.cpus", "resources.memory",
                    "resources.disk", "resources.processes");
        }

        @Test
        void when_resourcesIsNotAMapping_then_theErrorShowsTheForm() {
            assertThat(onlyErrorOf(minimalWith("resources: 2\n"))).isEqualTo(new FieldError("resources",
                    "must be a mapping such as {cpus: 0.5, memory: 256MiB, disk: 1GiB, processes: 64}; "
                            + "found the number 2"));
        }

        @Test
        void when_aResourceFieldIsUnknown_then_itIsNamedWithTheKnownOnes() {
            List<FieldError> errors = errorsOf(minimalWith("resources: {gpus: 1, mem: 1GiB}\n"));

            assertThat(errors).containsExactly(
                    new FieldError("resources.gpus", "unknown field 'gpus'; the fields are cpus, memory, disk, "
                            + "processes"),
                    new FieldError("resources.mem", "unknown field 'mem'; did you mean 'memory'?"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"lots", "256 MiBs", "1.5", "'-1GiB'", "'12 parsecs'", "99999999999999999999"})
        void when_memoryIsNotASize_then_theErrorShowsTheForms(String written) {
            FieldError error = onlyErrorOf(minimalWith("resources: {memory: " + written + "}\n"));

            assertThat(error.field()).isEqualTo("resources.memory");
            assertThat(error.message()).contains("e.g. 256MiB, 1.5 GiB, 512M, 2GB or a whole number of bytes");
        }

        @Test
        void when_memoryIsTooSmall_then_theBoundIsNamed() {
            assertThat(onlyErrorOf(minimalWith("resources: {memory: 1MiB}\n"))).isEqualTo(new FieldError(
                    "resources.memory", "must be between 4 MiB and 16 TiB, found 1 MiB (1048576 bytes)"));
        }

        @Test
        void when_diskIsAList_then_itMustBeASize() {
            assertThat(onlyErrorOf(minimalWith("resources: {disk: [1]}\n"))).isEqualTo(new FieldError(
                    "resources.disk", "must be a size, e.g. 256MiB, 1.5 GiB, 512M, 2GB or a whole number of bytes; "
                            + "found a list"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "0 | must be between 0.001 (1 millicore, '1m') and 1024, found 0",
                "-1 | must be between 0.001 (1 millicore, '1m') and 1024, found -1",
                "2000 | must be between 0.001 (1 millicore, '1m') and 1024, found 2000",
                "'0m' | must be between 0.001 (1 millicore, '1m') and 1024, found 0",
                "half | 'half' is not a CPU amount; write a number of cores such as 0.5 or 2, or millicores such as "
                        + "'500m'",
                "true | must be a number of cores such as 0.5 or 2, or millicores such as '500m', found the "
                        + "boolean true"})
        void when_cpusAreOutOfBoundsOrNoNumber_then_theErrorSaysWhy(String written, String message) {
            assertThat(onlyErrorOf(minimalWith("resources: {cpus: " + written + "}\n")))
                    .isEqualTo(new FieldError("resources.cpus", message));
        }

        @Test
        void when_processesAreZeroOrText_then_eachIsReported() {
            assertThat(onlyErrorOf(minimalWith("resources: {processes: 0}\n"))).isEqualTo(new FieldError(
                    "resources.processes", "must be between 1 and 100000, found 0"));
            assertThat(onlyErrorOf(minimalWith("resources: {processes: many}\n"))).isEqualTo(new FieldError(
                    "resources.processes", "must be a whole number from 1 to 100000, found the string 'many'"));
        }

        @Test
        void when_networkIsNeitherAllowedNorNone_then_theErrorSaysBoth() {
            assertThat(onlyErrorOf(minimalWith("network: offline\n"))).isEqualTo(new FieldError("network",
                    "must be 'allowed' or 'none', found the string 'offline'"));
            assertThat(onlyErrorOf(minimalWith("network: false\n"))).isEqualTo(new FieldError("network",
                    "must be 'allowed' or 'none', found the boolean false"));
        }

        @Test
        void when_requiresNamesAnUnknownProtection_then_theKnownOnesAreListed() {
            assertThat(onlyErrorOf(minimalWith("requires: [memory-limit, gpu-isolation]\n"))).isEqualTo(
                    new FieldError("requires[1]", "unknown protection 'gpu-isolation'; the protections are "
                            + "memory-limit, cpu-limit, cpu-time-limit, process-limit, disk-limit, no-network, "
                            + "filesystem-isolation, pid-isolation, separate-user"));
        }

        @Test
        void when_requiresIsAString_then_itMustBeAList() {
            assertThat(onlyErrorOf(minimalWith("requires: no-network\n"))).isEqualTo(new FieldError("requires",
                    "must be a list of protections, e.g. [memory-limit, no-network]; found the string 'no-network'"));
        }

        @Test
        void when_severalNewFieldsAreWrong_then_eachIsReportedInFieldOrder() {
            List<FieldError> errors = errorsOf(minimalWith("""
                    requires: [foo]
                    network: maybe
                    resources: {cpus: 0, memory: huge}
                    """));

            assertThat(errors).extracting(FieldError::field).containsExactly("resources.memory", "resources.cpus",
                    "network", "requires[0]");
        }
    }

    @Nested
    class Internals {
        @Test
        void when_textIsMeasured_then_utf8BytesAreCounted() {
            assertThat(JobSpecRules.utf8Length("aé€\uD83D\uDE00")).isEqualTo(1 + 2 + 3 + 4)
                    .isEqualTo("aé€\uD83D\uDE00".getBytes(StandardCharsets.UTF_8).length);
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', value = {"0 | 0 B", "1023 | 1023 B", "1024 | 1 KiB", "268435456 | 256 MiB",
                "1610612736 | 1.5 GiB", "2147483647 | 1.9 GiB", "1099511627776 | 1 TiB"})
        void when_sizeIsFormatted_then_itIsShortBinaryText(long bytes, String text) {
            assertThat(Sizes.format(bytes)).isEqualTo(text);
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({"PT0S, 0s", "PT1H30M, 1h30m", "PT0.25S, 250ms", "PT192H, 8d", "P1DT1M1.001S, 1d1m1s1ms",
                "PT0.0000001S, PT0.0000001S", "PT-1M, -1m"})
        void when_durationIsFormatted_then_itIsShortText(String iso, String text) {
            assertThat(Durations.format(Duration.parse(iso))).isEqualTo(text);
        }
    }
}
