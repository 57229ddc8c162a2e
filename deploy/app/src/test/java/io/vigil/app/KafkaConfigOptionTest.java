package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --kafka-config} on every command that talks to Kafka: a file that cannot be used is
 * refused with exit status 2 before anything starts, and {@code vigil serve} refuses TLS or SASL
 * settings that name no Kafka rather than point them at its plaintext broker. No broker needed.
 */
class KafkaConfigOptionTest {

    @TempDir
    Path tmp;

    @Test
    void everyKafkaCommandRefusesAFileItCannotReadBeforeStartingAnything() {
        Path missing = tmp.resolve("missing.properties");
        Path dataDir = tmp.resolve("data");
        String reason = "Kafka client config " + missing + ": no such file";

        Cli.Result serve = Cli.run("serve", "--kafka-config", missing.toString(), "--data-dir", dataDir.toString());
        Cli.Result replay = Cli.run("replay", "--bootstrap-server", "127.0.0.1:9", "--kafka-config", missing.toString());
        Cli.Result simulate = Cli.run("simulate", "--direct", "--bootstrap-servers", "127.0.0.1:9", "--kafka-config", missing.toString(),
                "--count", "1");

        for (Cli.Result result : new Cli.Result[] {serve, replay, simulate}) {
            assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(result.err()).contains(reason);
        }
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void serveRefusesSecuritySettingsWithoutAKafkaAddress() throws IOException {
        Path config = Files.writeString(tmp.resolve("client.properties"), "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");
        Path dataDir = tmp.resolve("data");

        Cli.Result result = Cli.run("serve", "--kafka-config", config.toString(), "--bootstrap-server", "", "--data-dir", dataDir.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("security.protocol=SASL_SSL is set but no Kafka address");
        assertThat(dataDir).doesNotExist();
    }
}
