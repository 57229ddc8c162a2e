package io.vigil.aggregator.runtime;

import static org.awaitility.Awaitility.await;

import io.vigil.aggregator.core.HealthChange;
import io.vigil.aggregator.core.HealthModel;
import io.vigil.aggregator.core.HealthSnapshot;
import io.vigil.aggregator.core.InboundChange;
import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.core.ProxyChange;
import io.vigil.aggregator.records.ChangeRecords;
import io.vigil.aggregator.records.EventRecords;
import io.vigil.avro.DataplaneEvent;
import io.vigil.conformance.ConformanceScenarios;
import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.schemas.EventJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Both stages on a real broker, fed the conformance scenarios and a generated stream of over
 * 100k events on 300 dataplanes: what a {@code read_committed} follower of the change topics
 * sees equals {@code vigil replay} of the same events — the final state, each dataplane's
 * inbound and proxy changes one by one, and gap-free versions for every entity.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
public class LiveEqualsReplayTest {

    @Test
    void changeTopicsEqualTheReplayOfTheEventLog() throws Exception {
        List<DataplaneEvent> events = new ArrayList<>(conformanceEvents("live-"));
        FleetEvents fleet = new FleetEvents("live-", 300, 4, 11);
        events.addAll(fleet.bootstrap());
        events.addAll(fleet.steady(100_000));

        try (PipelineHarness kafka = new PipelineHarness(EmbeddedKafkaExtension.bootstrapServers());
             StageRunner stage1 = kafka.stage1("live");
             StageRunner stage2 = kafka.stage2("live")) {
            kafka.send(events);
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(kafka::caughtUp);
        }
        ReplayAssertions.assertFollowerSawTheReplay(
                ChangeTopicReader.read(EmbeddedKafkaExtension.bootstrapServers()).onlyMeshesStartingWith("live-"), events);
    }

    /** Each scenario in meshes of its own, so their dataplanes do not meet. */
    static List<DataplaneEvent> conformanceEvents(String prefix) {
        List<DataplaneEvent> events = new ArrayList<>();
        for (ConformanceScenarios.Scenario scenario : ConformanceScenarios.all().values()) {
            String name = scenario.name().substring(0, 2);
            for (String line : scenario.eventLines()) {
                DataplaneEvent event = EventJson.parse(line);
                event.setMesh(prefix + name + "-" + event.getMesh());
                events.add(event);
            }
        }
        return events;
    }

    /** Per entity, its changes in order, without the cause's log position (replay has none). */
    public static <T extends SpecificRecord> Map<String, List<String>> sequences(List<T> changes, java.util.function.Function<T, String> key) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (T change : changes) {
            byKey.computeIfAbsent(key.apply(change), k -> new ArrayList<>()).add(withoutPosition(change));
        }
        return byKey;
    }

    private static String withoutPosition(SpecificRecord change) {
        return change.toString().replaceAll("\"topic\": (null|\"[^\"]*\"), \"partition\": [0-9a-z]+, \"offset\": [0-9a-z]+", "");
    }

    public static Map<String, String> finalServices(List<io.vigil.avro.ServiceChange> changes) {
        Map<String, String> services = new java.util.TreeMap<>();
        for (io.vigil.avro.ServiceChange change : changes) {
            String key = change.getMesh() + "/" + change.getService();
            if (change.getState() == null) {
                services.remove(key);
            } else {
                services.put(key, change.getState().toString());
            }
        }
        return services;
    }

    /** {@code vigil replay} of the events: every change (one event per batch) and the final state. */
    public record Replay(List<io.vigil.avro.InboundChange> inbound, List<io.vigil.avro.ProxyChange> proxy, HealthSnapshot snapshot) {

        public static Replay of(List<DataplaneEvent> events) {
            EventRecords records = new EventRecords(ProbeDefaults.KUMA);
            HealthModel model = new HealthModel();
            List<io.vigil.avro.InboundChange> inbound = new ArrayList<>();
            List<io.vigil.avro.ProxyChange> proxy = new ArrayList<>();
            for (DataplaneEvent event : events) {
                for (HealthChange change : model.apply(records.toEvent(event, null))) {
                    if (change instanceof InboundChange c) {
                        inbound.add(ChangeRecords.inbound(c));
                    } else if (change instanceof ProxyChange c) {
                        proxy.add(ChangeRecords.proxy(c));
                    }
                }
            }
            return new Replay(inbound, proxy, model.snapshot());
        }

        public Map<String, String> services() {
            Map<String, String> services = new java.util.TreeMap<>();
            for (HealthSnapshot.ServiceEntry entry : snapshot.services()) {
                services.put(entry.key().toString(), ChangeRecords.serviceState(entry.service().summary()).toString());
            }
            return services;
        }

        /** Each service's endpoints, by service key. */
        public Map<String, List<io.vigil.avro.Endpoint>> serviceEndpoints() {
            Map<String, List<io.vigil.avro.Endpoint>> services = new java.util.TreeMap<>();
            for (HealthSnapshot.ServiceEntry entry : snapshot.services()) {
                if (!entry.service().endpoints().isEmpty()) {
                    services.put(entry.key().toString(), ChangeRecords.endpoints(entry.service().endpoints()));
                }
            }
            return services;
        }
    }
}
