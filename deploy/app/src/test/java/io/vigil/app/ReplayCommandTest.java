package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code vigil replay --events}: offline, in this JVM, as SPEC sections 5 and 7 describe it. */
class ReplayCommandTest {

    private static final List<String> STATUSES = List.of("online", "offline", "partially_degraded");
    private static final String BAD_PORT_LINE = "{\"type\": \"probe-result\", \"mesh\": \"default\", \"dataplane\": \"web-01\","
            + " \"time\": \"2026-11-26T10:00:17Z\", \"port\": \"x\", \"healthy\": true}";

    @TempDir
    Path tmp;

    static Stream<String> scenarios() {
        return Scenarios.names();
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void jsonFormatGivesTheExpectedStateInTheSpecShape(String scenario) {
        Cli.Result result = Cli.run("replay", "--events", Scenarios.file(scenario).toString(), "--format", "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        JsonNode state = Scenarios.parse(result.out());
        assertThat(mismatches(Scenarios.expected(scenario), state, "")).isEmpty();
        assertSpecShape(state);
    }

    @Test
    void tableFormatPrintsKumactlLikeTables() {
        Cli.Result result = Cli.run("replay", "--events", Scenarios.file("05-partially-degraded-proxy").toString(), "--format", "table");

        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines.get(0).split(" {2,}")).containsExactly("MESH", "DATAPLANE", "STATUS", "CONNECTED", "INBOUNDS");
        assertThat(lines.get(1).split(" {2,}")).containsExactly("default", "web-01", "Partially degraded", "yes", "1/2");
        assertThat(lines).anySatisfy(line ->
                assertThat(line.split(" {2,}")).containsExactly("MESH", "SERVICE", "STATUS", "DATAPLANES", "ENDPOINTS"));
        assertThat(result.out()).doesNotContain("partially_degraded");
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void transitionsNumberEachEntitysChangesFromOneAndNameTheirCause(String scenario) throws IOException {
        Path file = Scenarios.file(scenario);
        List<String> fileLines = Files.readAllLines(file);

        Cli.Result result = Cli.run("replay", "--events", file.toString(), "--transitions");

        assertThat(result.exitCode()).as(result.err()).isZero();
        List<JsonNode> changes = result.out().lines().filter(l -> !l.isBlank()).map(Scenarios::parse).toList();
        assertThat(changes).isNotEmpty();
        Map<String, Long> lastVersion = new HashMap<>();
        for (JsonNode change : changes) {
            String entity = change.get("level").asText() + " " + change.get("key").asText();
            long expected = lastVersion.getOrDefault(entity, 0L) + 1;
            assertThat(change.get("version").asLong()).as("version of %s in %s", entity, change).isEqualTo(expected);
            // After a tombstone the entity is gone: created again, it starts again at version 1.
            lastVersion.put(entity, change.get("tombstone").asBoolean() ? 0L : expected);

            JsonNode cause = change.get("cause");
            assertThat(cause.get("topic").asText()).isEqualTo(file.getFileName().toString());
            int line = cause.get("offset").asInt();
            assertThat(line).isBetween(1, fileLines.size());
            assertThat(cause.get("type").asText()).as("cause of %s", change)
                    .isEqualTo(Scenarios.parse(fileLines.get(line - 1)).get("type").asText());
            assertThat(cause.has("partition")).isFalse();
        }
    }

    @Test
    void badLineExitsTwoNamingLineAndFieldAndPrintsNoState() {
        Path file = fileWithBadThirdLine();

        Cli.Result result = Cli.run("replay", "--events", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("line 3: port: ");
        assertThat(result.out()).isBlank();
    }

    @Test
    void skipInvalidReportsTheBadLineAndPrintsTheStateOfTheGoodOnes() {
        List<String> good = Scenarios.lines("05-partially-degraded-proxy");
        Path goodOnly = Scenarios.write(tmp.resolve("good.jsonl"), good);
        JsonNode stateOfGoodLines = Scenarios.parse(Cli.run("replay", "--events", goodOnly.toString()).out());

        Cli.Result result = Cli.run("replay", "--events", fileWithBadThirdLine().toString(), "--skip-invalid");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("line 3: port: ");
        assertThat(Scenarios.parse(result.out())).isEqualTo(stateOfGoodLines);
    }

    @Test
    void missingFileExitsTwo() {
        Cli.Result result = Cli.run("replay", "--events", tmp.resolve("nothing-here.jsonl").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("nothing-here.jsonl");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void untilWithoutBootstrapServerExitsTwo() {
        Cli.Result result = Cli.run("replay", "--events", Scenarios.file("01-universal-no-health-section").toString(),
                "--until", "2026-11-26T10:42:00Z");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--until").contains("--bootstrap-server");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void replayWithoutArgumentsExitsTwo() {
        Cli.Result result = Cli.run("replay");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--events").contains("--bootstrap-server");
    }

    @Test
    void vigilWithoutArgumentsExitsTwo() {
        Cli.Result result = Cli.run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("a command is required").contains("Usage:");
    }

    /** Scenario 05 with a third line whose port is not a number, the real lines following it. */
    private Path fileWithBadThirdLine() {
        List<String> lines = new ArrayList<>(Scenarios.lines("05-partially-degraded-proxy"));
        lines.add(2, BAD_PORT_LINE);
        return Scenarios.write(tmp.resolve("bad.jsonl"), lines);
    }

    /** Lists sorted as SPEC section 5 says, and statuses spelled as it says. */
    private static void assertSpecShape(JsonNode state) {
        assertThat(state.get("dataplanes").isArray()).isTrue();
        assertThat(state.get("services").isArray()).isTrue();
        Comparator<JsonNode> byMeshThenName = Comparator.<JsonNode, String>comparing(n -> n.get("mesh").asText())
                .thenComparing(n -> n.get("name").asText());
        assertThat(list(state.get("dataplanes"))).isSortedAccordingTo(byMeshThenName);
        assertThat(list(state.get("services"))).isSortedAccordingTo(byMeshThenName);
        for (JsonNode dataplane : state.get("dataplanes")) {
            assertThat(dataplane.get("status").asText()).isIn(STATUSES);
            assertThat(list(dataplane.get("inbounds"))).isSortedAccordingTo(Comparator.comparingInt(n -> n.get("port").asInt()));
        }
        for (JsonNode service : state.get("services")) {
            assertThat(service.get("status").asText()).isIn(STATUSES);
            assertThat(service.get("dataplanes").has("partiallyDegraded")).isTrue();
            assertThat(list(service.get("endpoints"))).isSortedAccordingTo(
                    Comparator.<JsonNode, String>comparing(n -> n.get("dataplane").asText()).thenComparingInt(n -> n.get("port").asInt()));
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    /**
     * Where {@code actual} differs from {@code expected}, ignoring object members that only
     * {@code actual} has (SPEC section 5: more fields may be added, none renamed).
     */
    private static List<String> mismatches(JsonNode expected, JsonNode actual, String path) {
        List<String> problems = new ArrayList<>();
        if (actual == null) {
            problems.add(path + ": missing");
        } else if (expected.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                problems.addAll(mismatches(member.getValue(), actual.get(member.getKey()), path + "." + member.getKey()));
            }
        } else if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                problems.add(path + ": expected " + expected + ", got " + actual);
            } else {
                for (int i = 0; i < expected.size(); i++) {
                    problems.addAll(mismatches(expected.get(i), actual.get(i), path + "[" + i + "]"));
                }
            }
        } else if (!expected.equals(actual)) {
            problems.add(path + ": expected " + expected + ", got " + actual);
        }
        return problems;
    }
}
