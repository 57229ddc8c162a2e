package io.vigil.bench;

import io.vigil.schemas.kafka.KafkaClientConfig;
import io.vigil.schemas.kafka.KafkaSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Kafka settings of every benchmark client: the benchmark's own broker with the client
 * properties an operator gives vigil ({@code VIGIL_KAFKA_CONFIG}, {@code KAFKA_*}; merged by
 * {@link KafkaClientConfig} as vigil's commands merge them), so a run can measure, say,
 * {@code KAFKA_COMPRESSION_TYPE=zstd}. Child JVMs inherit the environment and merge the same way,
 * as {@code vigil serve} does. Stateless.
 */
final class BenchKafka {

    private BenchKafka() {
    }

    /** The settings for the broker at {@code bootstrapServers}, whose address wins over any other. */
    static KafkaSettings settings(String bootstrapServers) {
        String file = System.getenv(KafkaClientConfig.FILE_VARIABLE);
        Map<String, String> fromFile = file == null || file.isBlank() ? Map.of() : KafkaClientConfig.read(Path.of(file));
        return KafkaSettings.of(KafkaClientConfig.merge(fromFile, System.getenv(), Map.of(), bootstrapServers));
    }
}
