package io.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.vigil.aggregator.runtime.PipelineHarness;
import io.vigil.aggregator.runtime.StageConfig;
import io.vigil.aggregator.runtime.StageRunner;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.ServiceChange;
import io.vigil.conformance.ConformanceScenarios;
import io.vigil.kafka.EmbeddedKafkaBroker;
import io.vigil.schemas.AvroSerde;
import io.vigil.schemas.EventJson;
import io.vigil.schemas.SchemaHistory;
import io.vigil.schemas.Topic;
import io.vigil.schemas.Topics;
import io.vigil.schemas.WireFormat;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.registry.RegistryFrame;
import io.vigil.schemas.registry.RegistryWireFormat;
import io.vigil.schemas.registry.SchemaRegistry;
import io.vigil.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registry mode against a real Apicurio Registry 3: the two stages, on a broker of this test's
 * own (the topics hold nothing but registry mode's records), write every conformance scenario;
 * then a stock Apicurio deserializer, a plain Avro reader fed through the Confluent-compatible
 * API, and vigil's own serde all read the product topics alike, while vigil's internal topics
 * stay single-object encoded.
 */
class RegistryModeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path work;
    private static ApicurioRegistry registry;
    private static EmbeddedKafkaBroker broker;
    private static SchemaRegistry schemas;
    /** The subjects in the registry once the stages ran, before any test registers more. */
    private static final List<String> subjects = new ArrayList<>();
    /** Per topic, every record value the stages wrote (tombstones left out), in partition order. */
    private static final Map<Topic<?>, List<byte[]>> written = new LinkedHashMap<>();

    @RegisterExtension
    static final TestWatcher REGISTRY_LOG_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (registry != null) {
                System.out.println("Apicurio Registry's log:\n" + registry.log());
            }
        }
    };

    @BeforeAll
    static void runTheStagesInRegistryMode() throws Exception {
        registry = ApicurioRegistry.start(work.resolve("apicurio-registry.log"));
        broker = EmbeddedKafkaBroker.builder(work.resolve("kafka")).build().start();
        schemas = SchemaRegistry.at(registry.ccompatUrl());
        AvroSerde.readRegistryFramesFrom(schemas);
        WireFormat registryMode = RegistryWireFormat.register(schemas, Topics.PRODUCT);

        List<DataplaneEvent> events = new ArrayList<>();
        for (ConformanceScenarios.Scenario scenario : ConformanceScenarios.all().values()) {
            String meshPrefix = scenario.name().substring(0, 2) + "-";
            for (String line : scenario.eventLines()) {
                DataplaneEvent event = EventJson.parse(line);
                event.setMesh(meshPrefix + event.getMesh());
                events.add(event);
            }
        }
        try (PipelineHarness kafka = new PipelineHarness(broker.bootstrapServers());
             StageRunner stage1 = kafka.stage1(StageConfig.defaults("registry").withWireFormat(registryMode));
             StageRunner stage2 = kafka.stage2(StageConfig.defaults("registry").withWireFormat(registryMode))) {
            kafka.send(events);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(kafka::caughtUp);
            for (Topic<?> topic : Topics.ALL) {
                written.put(topic, values(kafka, topic));
            }
        }
        JSON.readTree(get(registry.ccompatUrl() + "/subjects")).forEach(subject -> subjects.add(subject.asText()));
    }

    @AfterAll
    static void stop() throws IOException {
        AvroSerde.readRegistryFramesFrom(null);
        if (broker != null) {
            broker.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void productTopicsAreRegisteredUnderTopicNameSubjects() throws Exception {
        assertThat(subjects).containsExactlyInAnyOrder("vigil.inbound-health-value", "vigil.proxy-health-value",
                "vigil.service-health-value", "vigil.service-endpoints-value");
        for (String subject : subjects) {
            assertThat(JSON.readTree(get(registry.ccompatUrl() + "/config/" + subject)).path("compatibilityLevel").asText())
                    .as(subject).isEqualTo("BACKWARD");
        }
    }

    @Test
    void apicuriosStockDeserializerAndVigilsSerdeReadTheSameRecords() {
        try (AvroKafkaDeserializer<GenericRecord> apicurio = new AvroKafkaDeserializer<>()) {
            apicurio.configure(Map.of("apicurio.registry.url", registry.registryUrl()), false);
            for (Topic<?> topic : Topics.PRODUCT) {
                assertThat(written.get(topic)).as(topic.name()).isNotEmpty();
                for (byte[] value : written.get(topic)) {
                    GenericRecord stock = apicurio.deserialize(topic.name(), value);
                    Object ours = topic.deserialize(value);

                    assertThat(binary(stock.getSchema(), stock)).as(topic.name()).isEqualTo(binary((SpecificRecord) ours));
                }
            }
        }
    }

    @Test
    void theConfluentCompatibleApiGivesEachRecordsSchemaById() throws Exception {
        Map<Integer, Schema> byId = new HashMap<>();
        for (Topic<?> topic : Topics.PRODUCT) {
            for (byte[] value : written.get(topic)) {
                assertThat(value[0]).as("magic byte").isEqualTo(RegistryFrame.MAGIC);
                int id = RegistryFrame.schemaId(value);
                Schema schema = byId.computeIfAbsent(id, RegistryModeTest::schemaOverCcompat);
                byte[] body = RegistryFrame.body(value);
                var decoder = DecoderFactory.get().binaryDecoder(body, null);
                GenericRecord record = new GenericDatumReader<GenericRecord>(schema).read(null, decoder);

                assertThat(decoder.isEnd()).as("the whole body is one record").isTrue();
                assertThat(binary(schema, record)).isEqualTo(body);
                assertThat(binary(schema, record)).isEqualTo(binary((SpecificRecord) topic.deserialize(value)));
            }
        }
    }

    @Test
    void anExampleReadsRegistryModeGivenTheRegistry() {
        AvroSerde.readRegistryFramesFrom(null); // what the example's own option must set
        ExampleArgs args = ExampleArgs.parse("--bootstrap-server", broker.bootstrapServers(), "--group", "registry-mode-example",
                "--schema-registry", registry.ccompatUrl());
        List<ServiceChange> seen = new CopyOnWriteArrayList<>();
        try (ChangeConsumer<ServiceChange> changes = new ChangeConsumer<>(args, Topics.SERVICE_HEALTH)) {
            Thread reader = new Thread(() -> changes.forEach((key, change) -> {
                if (change != null) {
                    seen.add(change);
                }
            }), "registry-mode-example");
            reader.start();
            await().atMost(Duration.ofMinutes(1)).until(() -> seen.size() >= written.get(Topics.SERVICE_HEALTH).size());
            changes.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> !reader.isAlive());
        }

        assertThat(seen).hasSameSizeAs(written.get(Topics.SERVICE_HEALTH));
    }

    @Test
    void registryFramesAreTodaysBytesWithTheHeaderRewrittenAndInternalTopicsStaySingleObject() {
        for (Topic<?> topic : Topics.PRODUCT) {
            for (byte[] value : written.get(topic)) {
                SpecificRecord record = (SpecificRecord) topic.deserialize(value);
                byte[] today = serialize(topic, record);

                assertThat(RegistryFrame.toSingleObject(value, SchemaHistory.fingerprint(record.getSchema()))).isEqualTo(today);
            }
        }
        for (Topic<?> internal : List.of(Topics.DATAPLANE_EVENTS, Topics.DATAPLANE_SPECS, Topics.SERVICE_MEMBERSHIP,
                Topics.DATAPLANE_STATE, Topics.SERVICE_STATE)) {
            assertThat(written.get(internal)).as(internal.name()).isNotEmpty()
                    .allSatisfy(value -> assertThat(value).startsWith((byte) 0xC3, (byte) 0x01));
        }
        assertThat(StageConfig.defaults("x").wireFormat()).as("the default").isSameAs(WireFormat.SINGLE_OBJECT);
        byte[] value = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertThat(WireFormat.SINGLE_OBJECT.value(Topics.SERVICE_HEALTH, value)).isSameAs(value);
    }

    @Test
    void anIncompatibleChangeIsRefusedNamingTheSubject() throws Exception {
        ObjectNode changed = (ObjectNode) JSON.readTree(ServiceChange.getClassSchema().toString());
        ((ArrayNode) changed.get("fields")).addObject().put("name", "addedWithoutDefault").put("type", "string");

        assertThatThrownBy(() -> schemas.register("vigil.service-health-value", new Schema.Parser().parse(changed.toString())))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("refused to register the schema of subject vigil.service-health-value: HTTP 409");
    }

    @Test
    void startUpFailsWhenASubjectHoldsAnIncompatibleSchema() throws Exception {
        // An internal topic's subject, so the product subjects stay as the stages registered them.
        Schema other = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Other\",\"fields\":[{\"name\":\"x\",\"type\":\"string\"}]}");
        schemas.register("vigil.dataplane-specs-value", other);

        assertThatThrownBy(() -> RegistryWireFormat.register(schemas, List.of(Topics.DATAPLANE_SPECS)))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageStartingWith("schema registry " + registry.ccompatUrl()
                        + " refused to register the schema of subject vigil.dataplane-specs-value: HTTP 409");
    }

    @Test
    void startUpFailsOnAnUnreachableRegistryWithoutShowingItsCredentials() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        SchemaRegistry unreachable = SchemaRegistry.at("http://vigil:s3cret@127.0.0.1:" + closed + "/apis/ccompat/v7");

        assertThatThrownBy(() -> RegistryWireFormat.register(unreachable, Topics.PRODUCT))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageStartingWith("cannot set the compatibility of subject vigil.inbound-health-value: schema registry http://127.0.0.1:"
                        + closed + "/apis/ccompat/v7 is unreachable")
                .message().doesNotContain("s3cret");
    }

    private static List<byte[]> values(PipelineHarness kafka, Topic<?> topic) {
        List<byte[]> values = new ArrayList<>();
        try (Consumer<byte[], byte[]> consumer = kafka.clients().consumer(ClientOptions.committedReader("registry-mode-reader", 500))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(topic.name(), info.partition())).toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        values.add(record.value());
                    }
                }
            }
        }
        return values;
    }

    private static Schema schemaOverCcompat(int id) {
        try {
            return new Schema.Parser().parse(JSON.readTree(get(registry.ccompatUrl() + "/schemas/ids/" + id)).get("schema").asText());
        } catch (Exception e) {
            throw new IllegalStateException("schema id " + id, e);
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    @SuppressWarnings("unchecked")
    private static <V> byte[] serialize(Topic<V> topic, Object record) {
        return topic.serialize((V) record);
    }

    /** A record's Avro binary body, through vigil's generated classes' model. */
    private static byte[] binary(SpecificRecord record) {
        return binary(record.getSchema(), record);
    }

    private static byte[] binary(Schema schema, Object record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            GenericData model = record instanceof SpecificRecord ? SpecificData.getForSchema(schema) : GenericData.get();
            new GenericDatumWriter<>(schema, model).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
