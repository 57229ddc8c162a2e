package io.vigil.aggregator.runtime;

import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.Endpoint;
import io.vigil.avro.InboundChange;
import io.vigil.avro.ProxyChange;
import io.vigil.avro.ServiceChange;
import io.vigil.avro.ServiceEndpoints;
import io.vigil.schemas.DataplaneEventSerde;
import io.vigil.schemas.InboundChangeSerde;
import io.vigil.schemas.ProxyChangeSerde;
import io.vigil.schemas.ServiceChangeSerde;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What a {@code read_committed} follower of the change topics sees, read to their current end. */
public record ChangeTopicReader(List<InboundChange> inbound, List<ProxyChange> proxy, List<ServiceChange> service,
                                Map<String, ServiceEndpoints> endpoints) {

    /** Only the changes of meshes whose name starts with {@code prefix} (tests share one broker). */
    public ChangeTopicReader onlyMeshesStartingWith(String prefix) {
        return new ChangeTopicReader(inbound.stream().filter(c -> c.getMesh().startsWith(prefix)).toList(),
                proxy.stream().filter(c -> c.getMesh().startsWith(prefix)).toList(),
                service.stream().filter(c -> c.getMesh().startsWith(prefix)).toList(),
                endpoints.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> b, TreeMap::new)));
    }

    /** Each service's endpoints as the parts on {@code vigil.service-endpoints} add up to, by service key, sorted by dataplane then port. */
    public Map<String, List<Endpoint>> serviceEndpoints() {
        Map<String, List<Endpoint>> services = new TreeMap<>();
        for (ServiceEndpoints part : new TreeMap<>(endpoints).values()) {
            services.computeIfAbsent(part.getMesh() + "/" + part.getService(), k -> new ArrayList<>()).addAll(part.getEndpoints());
        }
        services.values().forEach(list -> list.sort(Comparator.comparing(Endpoint::getDataplane).thenComparing(Endpoint::getPort)));
        return services;
    }

    public static ChangeTopicReader read(String bootstrapServers) {
        InboundChangeSerde inbound = new InboundChangeSerde();
        ProxyChangeSerde proxy = new ProxyChangeSerde();
        ServiceChangeSerde service = new ServiceChangeSerde();
        return new ChangeTopicReader(
                readAll(bootstrapServers, Topics.INBOUND_HEALTH.name(), b -> inbound.deserialize(Topics.INBOUND_HEALTH.name(), b)),
                readAll(bootstrapServers, Topics.PROXY_HEALTH.name(), b -> proxy.deserialize(Topics.PROXY_HEALTH.name(), b)),
                readAll(bootstrapServers, Topics.SERVICE_HEALTH.name(), b -> service.deserialize(Topics.SERVICE_HEALTH.name(), b)),
                latest(bootstrapServers, Topics.SERVICE_ENDPOINTS.name(), Topics.SERVICE_ENDPOINTS::deserialize));
    }

    /** Every record of a topic, tombstones included, each partition in order. */
    public static List<ConsumerRecord<String, byte[]>> records(String bootstrapServers, String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        forEachRecord(bootstrapServers, topic, records::add);
        return records;
    }

    /** The size in bytes of the largest value a topic holds under a key that starts with {@code keyPrefix}. */
    public static int largestValue(String bootstrapServers, String topic, String keyPrefix) {
        int[] largest = {0};
        forEachRecord(bootstrapServers, topic, record -> {
            if (record.key() != null && record.key().startsWith(keyPrefix) && record.value() != null) {
                largest[0] = Math.max(largest[0], record.value().length);
            }
        });
        return largest[0];
    }

    /** The latest value of each key of a compacted topic (a tombstone removes the key). */
    public static <T> Map<String, T> latest(String bootstrapServers, String topic, Function<byte[], T> decode) {
        Map<String, T> latest = new TreeMap<>();
        forEachRecord(bootstrapServers, topic, record -> {
            if (record.value() == null) {
                latest.remove(record.key());
            } else {
                latest.put(record.key(), decode.apply(record.value()));
            }
        });
        return latest;
    }

    /**
     * Every event in the event log that decodes, each partition in order. Tests sharing a broker
     * leave undecodable records there on purpose (poison-record tests); they are skipped.
     */
    public static List<DataplaneEvent> decodableEvents(String bootstrapServers) {
        DataplaneEventSerde serde = new DataplaneEventSerde();
        return readAll(bootstrapServers, Topics.DATAPLANE_EVENTS.name(), bytes -> {
            try {
                return serde.deserialize(Topics.DATAPLANE_EVENTS.name(), bytes);
            } catch (RuntimeException undecodable) {
                return null;
            }
        }).stream().filter(Objects::nonNull).toList();
    }

    /** Every non-null value of a topic, each partition in order (the order of one key's records). */
    public static <T> List<T> readAll(String bootstrapServers, String topic, Function<byte[], T> decode) {
        List<T> values = new ArrayList<>();
        forEachRecord(bootstrapServers, topic, record -> {
            if (record.value() != null) {
                values.add(decode.apply(record.value()));
            }
        });
        return values;
    }

    private static void forEachRecord(String bootstrapServers, String topic, java.util.function.Consumer<ConsumerRecord<String, byte[]>> action) {
        try (Consumer<String, byte[]> consumer = new KafkaClients(KafkaSettings.of(bootstrapServers))
                .consumer(ClientOptions.committedReader("change-topic-reader", 500), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            for (TopicPartition partition : partitions) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                while (consumer.position(partition) < end.get(partition)) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        action.accept(record);
                    }
                }
            }
        }
    }
}
