package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil dev-cluster}'s layout and its refusals of bad flags, which start nothing. */
class DevClusterCommandTest {

    @TempDir
    Path tmp;

    @Test
    void consecutivePortsGiveEachPieceItsOwn() {
        DevCluster.Layout layout = DevCluster.Layout.consecutive(tmp, 9092, 9192, 8080, "512m", "512m", null);

        assertThat(layout.bootstrapServers()).isEqualTo("127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094");
        assertThat(layout.voters()).isEqualTo("1@127.0.0.1:9192,2@127.0.0.1:9193,3@127.0.0.1:9194");
        assertThat(layout.ingestPort()).isEqualTo(8080);
        assertThat(layout.projectionsPort()).isEqualTo(8081);
        assertThat(layout.aggregatorPorts()).containsExactly(8082, 8083);
    }

    @Test
    void everyVigilProcessGetsTheClustersBrokersAndTheKafkaClientConfig() {
        Path config = tmp.resolve("client.properties");
        DevCluster.Layout layout = DevCluster.Layout.consecutive(tmp, 9092, 9192, 8080, "512m", "512m", config);

        assertThat(layout.serveEnvironment("aggregator-1"))
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094")
                .containsEntry("VIGIL_KAFKA_CONFIG", config.toAbsolutePath().toString())
                .containsEntry("VIGIL_AGGREGATOR_INSTANCE_ID", "aggregator-1");
        assertThat(DevCluster.Layout.consecutive(tmp, 9092, 9192, 8080, "512m", "512m", null).serveEnvironment("ingest"))
                .doesNotContainKey("VIGIL_KAFKA_CONFIG");
    }

    @Test
    void aKafkaConfigThatCannotBeReadIsRefusedBeforeAnythingStarts() {
        Path dataDir = tmp.resolve("cluster");
        Cli.Result result = Cli.run("dev-cluster", "--data-dir", dataDir.toString(), "--kafka-config", tmp.resolve("missing.properties").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("Kafka client config " + tmp.resolve("missing.properties") + ": no such file");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void portsBeyondTheRangeAreRefusedBeforeAnythingStarts() {
        Path dataDir = tmp.resolve("cluster");
        Cli.Result result = Cli.run("dev-cluster", "--data-dir", dataDir.toString(), "--kafka-port", "65534");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("ports 65534 to 65536 are not all from 1 to 65535");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void aBadHeapIsRefusedNamingTheFlag() {
        Cli.Result result = Cli.run("dev-cluster", "--data-dir", tmp.resolve("cluster").toString(), "--app-heap", "lots");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("--app-heap must look like 512m or 2g, got 'lots'");
    }
}
