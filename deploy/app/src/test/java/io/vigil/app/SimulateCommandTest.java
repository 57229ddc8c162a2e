package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code vigil simulate}'s bad usage: exit status 2 and a message naming the flag, before anything is sent. */
class SimulateCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--rate|-5|--rate must be a number",
        "--duration|soon|--duration:",
        "--flap-probability|2|--flap-probability must be between 0 and 1",
        "--dataplanes|0|--dataplanes must be between 1",
        "--batch|0|--batch must be between 1 and 10000",
        "--kubernetes-share|-0.1|--kubernetes-share must be between 0 and 1"})
    void aValueOutOfRangeIsBadUsage(String flag, String value, String message) {
        Cli.Result result = Cli.run("simulate", "--token", "t", "--target", "http://127.0.0.1:1", flag, value);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(message);
    }

    @Test
    void withoutATokenItSaysWhereOneComesFrom() throws Exception {
        Path empty = Files.createTempDirectory("no-token");
        Cli.Result result = Cli.run("simulate", "--data-dir", empty.toString(), "--token", "", "--target", "http://127.0.0.1:1");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--token").contains("VIGIL_TOKEN").contains(empty.resolve("admin-token").toString());
    }

    @Test
    void directNeedsKafka() {
        Cli.Result result = Cli.run("simulate", "--direct", "--bootstrap-servers", "");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--bootstrap-servers");
    }
}
