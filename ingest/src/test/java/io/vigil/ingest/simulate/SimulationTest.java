package io.vigil.ingest.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.EventJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SimulationTest {

    private static final FleetShape FLEET = new FleetShape("default", 40, 2, 5, 0.1, 0.5);
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    /** Records what arrives, as a target would, from several lane threads at once. */
    private static final class RecordingSink implements SimulationSink {
        final List<DataplaneEvent> received = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger batches = new AtomicInteger();

        @Override
        public void send(List<DataplaneEvent> batch) {
            batches.incrementAndGet();
            received.addAll(batch);
        }

        @Override
        public void close() {
        }
    }

    private Simulation simulation(SimulationSink sink, Simulation.Settings settings, StringWriter output) {
        FleetGenerator generator = new FleetGenerator(FLEET, 1, Instant.parse("2026-11-26T10:00:00Z"), "t");
        return new Simulation(generator, sink, settings, output, new PrintStream(progress, true, StandardCharsets.UTF_8), false);
    }

    @Test
    void everyEventArrivesOnceAndEachDataplanesInTheOrderItWasGenerated() throws Exception {
        RecordingSink sink = new RecordingSink();
        StringWriter output = new StringWriter();
        Simulation.Summary summary = simulation(sink, new Simulation.Settings(0, null, 20_000, 50, 4), output).run();

        assertThat(summary.sent()).isEqualTo(20_000);
        assertThat(summary.failed()).isZero();
        List<String> written = output.toString().lines().toList();
        assertThat(written).hasSize(20_000);
        assertThat(perDataplane(sink.received.stream().map(EventJson::renderText).toList())).isEqualTo(perDataplane(written));
        assertThat(sink.batches.get()).as("batched").isLessThan(20_000);
    }

    @Test
    void theRateIsHeldNotExceeded() throws Exception {
        RecordingSink sink = new RecordingSink();
        Simulation.Summary summary = simulation(sink, new Simulation.Settings(2000, null, 1000, 100, 2), null).run();
        assertThat(summary.sent()).isEqualTo(1000);
        // Event 999 is due 0.4995 s after the start.
        assertThat(summary.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(499));
        assertThat(summary.rate()).isLessThanOrEqualTo(2010);
    }

    @Test
    void aDurationEndsTheRun() throws Exception {
        Simulation.Summary summary = simulation(new RecordingSink(), new Simulation.Settings(200, Duration.ofMillis(2500), 0, 100, 2), null).run();
        // 500 events are due before the end; a thread parked late at the very end may draw fewer.
        assertThat(summary.sent()).isBetween(250L, 500L);
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("sent ").contains("events/s").contains("errors 0");
    }

    @Test
    void aRefusedTokenEndsTheRunAndRefusedBatchesAreCounted() throws Exception {
        SimulationSink refusing = new SimulationSink() {
            @Override
            public void send(List<DataplaneEvent> batch) {
                throw new SendFailure("HTTP 401 a valid bearer token is required", true);
            }

            @Override
            public void close() {
            }
        };
        Simulation.Summary summary = simulation(refusing, new Simulation.Settings(0, null, 0, 10, 2), null).run();
        assertThat(summary.fatal()).contains("401");
        assertThat(summary.sent()).isZero();
        assertThat(summary.failed()).isPositive();
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("refused: HTTP 401");
    }

    private static Map<String, List<String>> perDataplane(List<String> lines) {
        Map<String, List<String>> byDataplane = new HashMap<>();
        for (String line : lines) {
            String dataplane = EventJson.parse(line).getDataplane().toString();
            byDataplane.computeIfAbsent(dataplane, d -> new ArrayList<>()).add(line);
        }
        return byDataplane;
    }
}
