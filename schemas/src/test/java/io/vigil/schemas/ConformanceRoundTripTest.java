package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.avro.DataplaneEvent;
import io.vigil.conformance.ConformanceScenarios;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every event of every conformance scenario survives JSON to Avro to Kafka bytes to Avro to JSON
 * unchanged. The scenarios are written in canonical form, so the comparison is exact.
 */
class ConformanceRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final DataplaneEventSerde serde = new DataplaneEventSerde();

    @TestFactory
    Stream<DynamicTest> everyScenarioEventRoundTrips() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ConformanceScenarios.Scenario scenario : ConformanceScenarios.all().values()) {
            List<String> lines = scenario.eventLines();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                tests.add(DynamicTest.dynamicTest(scenario.events().getFileName() + ":" + (i + 1), () -> roundTrips(line)));
            }
        }
        assertThat(tests).as("events in %s", ConformanceScenarios.RESOURCE_DIR).hasSizeGreaterThan(16);
        return tests.stream();
    }

    private void roundTrips(String line) throws IOException {
        JsonNode original = JSON.readTree(line);
        byte[] bytes = serde.serialize(Topics.DATAPLANE_EVENTS.name(), EventJson.parse(original));
        DataplaneEvent decoded = serde.deserialize(Topics.DATAPLANE_EVENTS.name(), bytes);
        assertThat(EventJson.render(decoded)).isEqualTo(original);
    }
}
