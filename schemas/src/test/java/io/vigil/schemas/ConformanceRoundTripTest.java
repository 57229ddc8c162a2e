package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.avro.DataplaneEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    Stream<DynamicTest> everyScenarioEventRoundTrips() throws IOException {
        String dir = System.getProperty("conformance.dir");
        assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
                "conformance scenarios not found: set -Dconformance.dir (surefire sets it), got " + dir);
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (!line.isBlank()) {
                        tests.add(DynamicTest.dynamicTest(file.getFileName() + ":" + (i + 1), () -> roundTrips(line)));
                    }
                }
            }
        }
        assertThat(tests).as("events in %s", dir).hasSizeGreaterThan(16);
        return tests.stream();
    }

    private void roundTrips(String line) throws IOException {
        JsonNode original = JSON.readTree(line);
        byte[] bytes = serde.serialize(Topics.DATAPLANE_EVENTS.name(), EventJson.parse(original));
        DataplaneEvent decoded = serde.deserialize(Topics.DATAPLANE_EVENTS.name(), bytes);
        assertThat(EventJson.render(decoded)).isEqualTo(original);
    }
}
