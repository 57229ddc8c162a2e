package io.vigil.aggregator.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.aggregator.core.HealthModel;
import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.core.Source;
import io.vigil.aggregator.records.EventRecords;
import io.vigil.conformance.ConformanceScenarios;
import io.vigil.schemas.EventLine;
import io.vigil.schemas.EventLines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every conformance scenario ({@link ConformanceScenarios}, vendored from {@code shared/conformance/scenarios}),
 * folded as {@code vigil replay} folds it and compared with its expected state on the fields
 * SPEC.md names, as {@code check.py} does.
 */
class ConformanceScenariosTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyScenarioReplaysToItsExpectedState() {
        return ConformanceScenarios.all().values().stream().map(scenario -> DynamicTest.dynamicTest(scenario.events().getFileName().toString(),
                () -> assertThat(view(replay(scenario.events()))).isEqualTo(view(JSON.readTree(scenario.expected().toFile())))));
    }

    private static JsonNode replay(Path events) throws IOException {
        HealthModel model = new HealthModel();
        EventRecords records = new EventRecords(ProbeDefaults.KUMA);
        try (Stream<EventLine> lines = EventLines.read(Files.newBufferedReader(events))) {
            lines.forEach(line -> {
                assertThat(line).as("line %d", line.number()).isInstanceOf(EventLine.Parsed.class);
                model.apply(records.toEvent(((EventLine.Parsed) line).event(), new Source(events.toString(), null, line.number())));
            });
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotJson.write(model.snapshot(), out);
        return JSON.readTree(out.toByteArray());
    }

    /** The fields SPEC.md section 5 names, in document order. */
    private static List<String> view(JsonNode state) {
        List<String> lines = new ArrayList<>();
        for (JsonNode dp : state.get("dataplanes")) {
            StringBuilder line = new StringBuilder("dataplane " + dp.get("mesh").asText() + "/" + dp.get("name").asText()
                    + " " + dp.get("status").asText() + " connected=" + dp.get("connected").asBoolean());
            for (JsonNode inbound : dp.get("inbounds")) {
                line.append(" [").append(inbound.get("port").asInt()).append(' ').append(inbound.get("service").asText())
                        .append(" ready=").append(inbound.get("ready").asBoolean()).append(']');
            }
            lines.add(line.toString());
        }
        for (JsonNode svc : state.get("services")) {
            JsonNode counts = svc.get("dataplanes");
            StringBuilder line = new StringBuilder("service " + svc.get("mesh").asText() + "/" + svc.get("name").asText()
                    + " " + svc.get("status").asText() + " " + counts.get("total") + "/" + counts.get("online") + "/"
                    + counts.get("offline") + "/" + counts.get("partiallyDegraded"));
            for (JsonNode endpoint : svc.get("endpoints")) {
                line.append(" ").append(endpoint.get("dataplane").asText()).append('@')
                        .append(endpoint.get("address").asText()).append(':').append(endpoint.get("port").asInt());
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
