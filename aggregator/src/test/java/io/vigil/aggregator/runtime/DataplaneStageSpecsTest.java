package io.vigil.aggregator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.aggregator.core.DataplaneState;
import io.vigil.aggregator.core.Dataplanes;
import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.records.CheckpointRecords;
import io.vigil.aggregator.records.EventRecords;
import io.vigil.avro.CurrentDataplaneSpec;
import io.vigil.avro.CurrentInboundSpec;
import io.vigil.avro.DataplaneCheckpoint;
import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.EventJson;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Topic;
import io.vigil.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * What stage 1 writes to vigil.dataplane-specs, without a broker: a record when the published view
 * changes, on the event's partition, a tombstone on delete, nothing for health reports; and the
 * one-time publication of dataplanes restored from checkpoints older than the topic.
 */
class DataplaneStageSpecsTest {

    private static final int PARTITION = 4;

    private final DataplaneStage stage = new DataplaneStage(ProbeDefaults.KUMA);
    private final Recorded out = new Recorded();
    private long offset;

    @Test
    void theSpecIsPublishedWhenItsViewChangesAndNotForHealthReports() {
        send(upsert("web", "v1", "\"serviceProbe\": {\"healthyThreshold\": 2}"));
        assertThat(specs()).singleElement().satisfies(spec -> {
            assertThat(spec.getMesh()).isEqualTo("default");
            assertThat(spec.getDataplane()).isEqualTo("web");
            assertThat(spec.getEnvironment()).isEqualTo(io.vigil.avro.Environment.UNIVERSAL);
            assertThat(spec.getConnected()).isFalse();
            CurrentInboundSpec inbound = spec.getInbounds().get(0);
            assertThat(inbound.getPort()).isEqualTo(8080);
            assertThat(inbound.getWorkloadPort()).isEqualTo(18080);
            assertThat(inbound.getAddress()).as("the dataplane's, as the inbound has none").isEqualTo("127.0.0.1");
            assertThat(inbound.getTags()).isEqualTo(Map.of("kuma.io/service", "web", "version", "v1"));
            assertThat(inbound.getProbe().getIntervalMillis()).as("after defaults").isEqualTo(1_000);
            assertThat(inbound.getProbe().getHealthyThreshold()).isEqualTo(2);
        });
        assertThat(out.specs).allSatisfy(record -> assertThat(record.partition).isEqualTo(PARTITION));

        out.clear();
        send(event("web", "\"type\": \"stream-connected\", \"instance\": \"cp-1\", \"stream\": \"s1\""));
        send(event("web", "\"type\": \"probe-result\", \"port\": 8080, \"healthy\": true"));
        send(event("web", "\"type\": \"probe-result\", \"port\": 8080, \"healthy\": true"));
        send(event("web", "\"type\": \"inbound-health\", \"port\": 8080, \"ready\": true"));
        send(event("web", "\"type\": \"stream-connected\", \"instance\": \"cp-2\", \"stream\": \"s2\""));
        send(event("web", "\"type\": \"stream-disconnected\", \"instance\": \"cp-1\", \"stream\": \"s1\""));
        assertThat(specs()).as("only the first connect changed the view").singleElement()
                .satisfies(spec -> assertThat(spec.getConnected()).isTrue());

        out.clear();
        send(upsert("web", "v1", "\"serviceProbe\": {\"healthyThreshold\": 2}"));
        assertThat(out.specs).as("the same spec again").isEmpty();
        send(upsert("web", "v2", "\"serviceProbe\": {\"healthyThreshold\": 2}"));
        assertThat(out.others).as("a tag change changes no health").isEmpty();
        send(event("web", "\"type\": \"dataplane-draining\""));
        send(event("web", "\"type\": \"stream-disconnected\", \"instance\": \"cp-2\", \"stream\": \"s2\""));
        assertThat(specs()).extracting(spec -> spec.getInbounds().get(0).getTags().get("version"), CurrentDataplaneSpec::getDraining,
                        CurrentDataplaneSpec::getConnected)
                .containsExactly(tuple("v2", false, true), tuple("v2", true, true),
                        tuple("v2", true, false));

        out.clear();
        send(event("web", "\"type\": \"dataplane-deleted\""));
        assertThat(out.specs).singleElement().satisfies(record -> {
            assertThat(record.key).isEqualTo("default/web");
            assertThat(record.value).as("a tombstone").isNull();
            assertThat(record.partition).isEqualTo(PARTITION);
        });
    }

    @Test
    void aDataplaneThatWasNeverUpsertedHasNoSpec() {
        send(event("ghost", "\"type\": \"stream-connected\", \"instance\": \"cp-1\""));
        send(event("ghost", "\"type\": \"dataplane-deleted\""));
        assertThat(out.specs).isEmpty();
    }

    @Test
    void aBatchPublishesEachDataplaneOnceAsItEndsAndOnlyIfItDiffersFromWhatItStartedWith() {
        process(upsert("web", "v1", "\"serviceProbe\": {}"));
        process(event("web", "\"type\": \"stream-connected\", \"instance\": \"cp-1\""));
        process(upsert("api", "v1", "\"serviceProbe\": {}"));
        assertThat(out.specs).as("nothing before the batch ends").isEmpty();
        stage.endBatch(out);
        assertThat(specs()).extracting(CurrentDataplaneSpec::getDataplane, CurrentDataplaneSpec::getConnected)
                .containsExactlyInAnyOrder(tuple("web", true), tuple("api", false));

        out.clear();
        process(event("web", "\"type\": \"stream-disconnected\", \"instance\": \"cp-1\""));
        process(event("web", "\"type\": \"stream-connected\", \"instance\": \"cp-2\""));
        process(event("api", "\"type\": \"dataplane-deleted\""));
        process(upsert("api", "v1", "\"serviceProbe\": {}"));
        process(upsert("tmp", "v1", "\"serviceProbe\": {}"));
        process(event("tmp", "\"type\": \"dataplane-deleted\""));
        stage.endBatch(out);
        assertThat(out.specs).as("every one ended as it started").isEmpty();
    }

    @Test
    void dataplanesRestoredFromCheckpointsOlderThanTheSpecTopicArePublishedOnce() {
        int restored = DataplaneStage.BACKFILL_PER_BATCH + 10;
        for (int i = 0; i < restored; i++) {
            stage.restore(PARTITION, key("dp-" + i), oldCheckpoint("dp-" + i));
        }
        stage.restore(PARTITION, key("current"), Topics.DATAPLANE_STATE.serialize(checkpoint("current", true)));
        stage.restore(PARTITION, key("dp-7"), null);

        send(event("dp-" + (restored - 1), "\"type\": \"probe-result\", \"port\": 8080, \"healthy\": true"));

        assertThat(specs()).hasSize(1 + DataplaneStage.BACKFILL_PER_BATCH).extracting(CurrentDataplaneSpec::getDataplane)
                .as("the one whose checkpoint is rewritten anyway first; not the forgotten one nor the current one")
                .startsWith("dp-" + (restored - 1), "dp-0").doesNotContain("dp-7", "current");
        assertThat(specs().get(1).getInbounds().get(0).getTags()).as("an old checkpoint knows only the service")
                .isEqualTo(Map.of("kuma.io/service", "web"));
        assertThat(out.checkpoints()).as("their checkpoints say so now").hasSize(1 + DataplaneStage.BACKFILL_PER_BATCH)
                .allMatch(DataplaneCheckpoint::getSpecPublished);

        out.clear();
        send(event("dp-0", "\"type\": \"probe-result\", \"port\": 8080, \"healthy\": false"));
        assertThat(specs()).as("the rest, once").hasSize(restored - 2 - DataplaneStage.BACKFILL_PER_BATCH);

        out.clear();
        send(event("dp-1", "\"type\": \"probe-result\", \"port\": 8080, \"healthy\": false"));
        assertThat(out.specs).isEmpty();
    }

    @Test
    void aRevokedPartitionForgetsWhatItHadToPublish() {
        stage.restore(PARTITION, key("dp-1"), oldCheckpoint("dp-1"));
        stage.drop(PARTITION);
        stage.endBatch(out);
        assertThat(out.specs).isEmpty();
    }

    private byte[] oldCheckpoint(String dataplane) {
        DataplaneCheckpoint checkpoint = checkpoint(dataplane, false);
        checkpoint.getInbounds().forEach(inbound -> inbound.setTags(null));
        return Topics.DATAPLANE_STATE.serialize(checkpoint);
    }

    private static DataplaneCheckpoint checkpoint(String dataplane, boolean published) {
        Dataplanes dataplanes = new Dataplanes();
        EventRecords records = new EventRecords(ProbeDefaults.KUMA);
        DataplaneEvent upsert = EventJson.parse(upsert(dataplane, "v1", "\"serviceProbe\": {}"));
        dataplanes.apply(records.toEvent(upsert, null));
        DataplaneState state = dataplanes.states().iterator().next();
        DataplaneCheckpoint checkpoint = CheckpointRecords.dataplane(state);
        checkpoint.setSpecPublished(published);
        return checkpoint;
    }

    private List<CurrentDataplaneSpec> specs() {
        return out.specs.stream().map(record -> Topics.DATAPLANE_SPECS.deserialize(record.value)).toList();
    }

    /** One event in a batch of its own. */
    private void send(String json) {
        process(json);
        stage.endBatch(out);
    }

    private void process(String json) {
        DataplaneEvent event = EventJson.parse(json);
        stage.process(new ConsumerRecord<>(Topics.DATAPLANE_EVENTS.name(), PARTITION, offset++,
                key(event.getDataplane()), Topics.DATAPLANE_EVENTS.serialize(event)), out);
    }

    private static byte[] key(String dataplane) {
        return KeyFormat.of("default", dataplane).getBytes(StandardCharsets.UTF_8);
    }

    private static String upsert(String dataplane, String version, String probe) {
        return "{\"mesh\": \"default\", \"dataplane\": \"" + dataplane + "\", \"time\": \"2026-11-26T10:00:00Z\", "
                + "\"type\": \"dataplane-upserted\", \"environment\": \"universal\", \"spec\": {\"networking\": {\"address\": \"127.0.0.1\", "
                + "\"inbound\": [{\"port\": 8080, \"servicePort\": 18080, \"tags\": {\"kuma.io/service\": \"web\", \"version\": \"" + version
                + "\"}, " + probe + "}]}}}";
    }

    private static String event(String dataplane, String body) {
        return "{\"mesh\": \"default\", \"dataplane\": \"" + dataplane + "\", \"time\": \"2026-11-26T10:00:00Z\", " + body + "}";
    }

    private record Sent(Topic<?> topic, int partition, String key, byte[] value) {
    }

    /** Keeps what the stage sends, by kind. */
    private static final class Recorded implements Outputs {

        final List<Sent> specs = new ArrayList<>();
        final List<Sent> changelog = new ArrayList<>();
        final List<Sent> others = new ArrayList<>();

        @Override
        public void send(Topic<?> topic, String key, byte[] value) {
            others.add(new Sent(topic, -1, key, value));
        }

        @Override
        public void send(Topic<?> topic, String key, String partitionKey, byte[] value) {
            others.add(new Sent(topic, -1, key, value));
        }

        @Override
        public void send(Topic<?> topic, int partition, String key, byte[] value) {
            Sent sent = new Sent(topic, partition, key, value);
            if (topic == Topics.DATAPLANE_SPECS) {
                specs.add(sent);
            } else if (topic == Topics.DATAPLANE_STATE) {
                changelog.add(sent);
            } else {
                others.add(sent);
            }
        }

        List<DataplaneCheckpoint> checkpoints() {
            return changelog.stream().map(sent -> Topics.DATAPLANE_STATE.deserialize(sent.value)).toList();
        }

        void clear() {
            specs.clear();
            changelog.clear();
            others.clear();
        }
    }
}
