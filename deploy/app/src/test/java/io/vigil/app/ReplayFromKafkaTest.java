package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.avro.DataplaneEvent;
import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.schemas.EventJson;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.TopicSettings;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil replay --bootstrap-server}: the event log topic folds to the same state as the
 * same events in a file. The JVM's one broker, and so the topic, is shared with other tests: each
 * test writes to meshes of its own and compares only those.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
// Undecodable records stay in the shared topic and fail every later replay without
// --skip-invalid, so the tests that write them run last.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayFromKafkaTest {

    private static Producer<String, DataplaneEvent> events;
    private static Producer<String, byte[]> bytes;

    @TempDir
    Path tmp;

    @BeforeAll
    static void provisionTopicsAndConnect() {
        String bootstrap = EmbeddedKafkaExtension.bootstrapServers();
        KafkaClients clients = new KafkaClients(KafkaSettings.of(bootstrap));
        try (Admin admin = clients.admin(ClientOptions.named("replay-test"))) {
            new TopicProvisioner(admin, TopicSettings.defaults(), Duration.ofSeconds(30)).provision();
        }
        ClientOptions producer = ClientOptions.named("replay-test").require(ProducerConfig.ACKS_CONFIG, "all");
        events = clients.producer(producer, new StringSerializer(), Topics.DATAPLANE_EVENTS.serde().serializer());
        bytes = clients.producer(producer, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void disconnect() {
        if (events != null) {
            events.close();
        }
        if (bytes != null) {
            bytes.close();
        }
    }

    @Test
    @Order(1)
    void replayOfTheTopicEqualsReplayOfTheSameLines() throws Exception {
        String run = unique();
        List<String> lines = new ArrayList<>();
        for (String scenario : Scenarios.names().toList()) {
            // Scenarios reuse dataplane names: each gets meshes of its own.
            lines.addAll(Scenarios.inOwnMeshes(scenario, scenario.substring(0, 2) + "-" + run));
        }
        produce(lines);

        JsonNode fromKafka = replayKafka();
        JsonNode fromFile = replayFile(lines);

        Set<String> meshes = Scenarios.meshes(lines);
        assertThat(fromFile.get("dataplanes")).isNotEmpty();
        assertThat(Scenarios.onlyMeshes(fromKafka, meshes)).isEqualTo(fromFile);
    }

    @Test
    @Order(2)
    void untilGivesTheStateOfTheRecordsAppendedUpToThatTime() throws Exception {
        List<String> lines = Scenarios.inOwnMeshes("05-partially-degraded-proxy", unique());
        List<String> firstBatch = lines.subList(0, 2);
        List<String> secondBatch = lines.subList(2, lines.size());
        produce(firstBatch);
        long afterFirstBatch = System.currentTimeMillis();
        // Kafka timestamps have millisecond resolution: the second batch must be stamped later.
        await().atMost(Duration.ofSeconds(1)).until(() -> System.currentTimeMillis() > afterFirstBatch);
        produce(secondBatch);

        JsonNode untilFirst = replayKafka("--until", Instant.ofEpochMilli(afterFirstBatch).toString());
        JsonNode all = replayKafka();

        Set<String> meshes = Scenarios.meshes(lines);
        JsonNode stateOfFirstBatch = replayFile(firstBatch);
        assertThat(stateOfFirstBatch).isNotEqualTo(replayFile(lines));
        assertThat(Scenarios.onlyMeshes(untilFirst, meshes)).isEqualTo(stateOfFirstBatch);
        assertThat(Scenarios.onlyMeshes(all, meshes)).isEqualTo(replayFile(lines));
    }

    @Test
    @Order(3)
    void undecodableRecordExitsTwoNamingItsPartitionAndOffset() throws Exception {
        RecordMetadata garbage = produceGarbage();

        Cli.Result result = Cli.run("replay", "--bootstrap-server", EmbeddedKafkaExtension.bootstrapServers());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("partition " + garbage.partition() + " offset " + garbage.offset() + ": ");
        assertThat(result.out()).isBlank();
    }

    @Test
    @Order(4)
    void skipInvalidReportsTheUndecodableRecordAndFoldsTheRest() throws Exception {
        List<String> lines = Scenarios.inOwnMeshes("10-service-aggregation", unique());
        produce(lines);
        RecordMetadata garbage = produceGarbage();

        Cli.Result result = Cli.run("replay", "--bootstrap-server", EmbeddedKafkaExtension.bootstrapServers(), "--skip-invalid");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("partition " + garbage.partition() + " offset " + garbage.offset() + ": ");
        assertThat(Scenarios.onlyMeshes(Scenarios.parse(result.out()), Scenarios.meshes(lines))).isEqualTo(replayFile(lines));
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Sends every line keyed mesh/dataplane, as ingest does, and waits for all acks. */
    private static void produce(List<String> lines) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (String line : lines) {
            DataplaneEvent event = EventJson.parse(line);
            acks.add(events.send(new ProducerRecord<>(Topics.DATAPLANE_EVENTS.name(), event.getMesh() + "/" + event.getDataplane(), event)));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    private static RecordMetadata produceGarbage() throws Exception {
        byte[] value = "not an Avro record".getBytes(StandardCharsets.UTF_8);
        return bytes.send(new ProducerRecord<>(Topics.DATAPLANE_EVENTS.name(), "garbage/" + unique(), value)).get();
    }

    private static JsonNode replayKafka(String... extra) {
        List<String> args = new ArrayList<>(List.of("replay", "--bootstrap-server", EmbeddedKafkaExtension.bootstrapServers()));
        args.addAll(List.of(extra));
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isZero();
        return Scenarios.parse(result.out());
    }

    private JsonNode replayFile(List<String> lines) {
        Path file = Scenarios.write(tmp.resolve(unique() + ".jsonl"), lines);
        Cli.Result result = Cli.run("replay", "--events", file.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        return Scenarios.parse(result.out());
    }
}
