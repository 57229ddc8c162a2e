package io.vigil.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EmbeddedKafkaMain as the app runs it: a child JVM on this test's classpath. */
class EmbeddedKafkaMainTest {

    /** "Within a few seconds": the broker's orderly shutdown takes about one. */
    private static final long EXIT_SECONDS = 10;

    @TempDir
    Path tmp;

    @Test
    void announcesOneLineServesClientsAndExitsZeroOnSigterm() throws Exception {
        Path dataDir = tmp.resolve("data");
        try (Child broker = Child.launch(tmp, "--data-dir", dataDir.toString(), "--port", "0")) {
            String bootstrap = broker.awaitBootstrap();
            TestClients.createTopic(bootstrap, "from-child");
            TestClients.produce(bootstrap, "from-child", "k", "v");
            assertThat(TestClients.readFromStart(bootstrap, "from-child", 1))
                    .extracting(ConsumerRecord::key, ConsumerRecord::value)
                    .containsExactly(tuple("k", "v"));

            // SIGTERM, as Process.destroy() sends it; that one also closes this end of the child's
            // stdout, which is read below to see that nothing follows the bootstrap line.
            assertThat(broker.process.toHandle().destroy()).isTrue();

            assertThat(broker.process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            assertThat(broker.process.exitValue()).isZero();
            assertThat(broker.restOfStdout()).as("stdout after the bootstrap line").isEmpty();
            assertThat(Files.readString(dataDir.resolve("broker.log"))).contains("Kafka Server started");
        }
    }

    @Test
    void holdsItsDataDirAgainstAnotherProcessAndExitsZeroWhenStdinClosesWithWatchStdin() throws Exception {
        Path dataDir = tmp.resolve("data");
        try (Child first = Child.launch(tmp, "--data-dir", dataDir.toString(), "--port", "0", "--watch-stdin")) {
            first.awaitBootstrap();

            try (Child second = Child.launch(tmp, "--data-dir", dataDir.toString(), "--port", "0")) {
                assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(second.process.exitValue()).isEqualTo(1);
                assertThat(second.stderrLines())
                        .containsExactly("error: data dir " + dataDir + " is in use by another broker");
            }

            first.process.getOutputStream().close();

            assertThat(first.process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)).as("exited after stdin closed").isTrue();
            assertThat(first.process.exitValue()).isZero();
        }
    }

    @Test
    void fsyncMakesTheBrokerFlushEveryAppendBeforeAcknowledgingIt() throws Exception {
        try (Child broker = Child.launch(tmp, "--data-dir", tmp.resolve("data").toString(), "--port", "0", "--fsync");
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.awaitBootstrap()))) {
            String node = Integer.toString(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, node);
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            assertThat(config.get("log.flush.interval.messages").value()).isEqualTo("1");
        }
    }

    @Test
    void aTakenPortExitsOneWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                Child broker = Child.launch(tmp, "--data-dir", tmp.resolve("data").toString(), "--port", Integer.toString(taken.getLocalPort()))) {
            assertThat(broker.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(broker.process.exitValue()).isEqualTo(1);
            assertThat(broker.stderrLines())
                    .containsExactly("error: port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
        }
    }

    @Test
    void badUsageExitsTwoWithTheUsage() throws Exception {
        try (Child broker = Child.launch(tmp, "--data-dir", tmp.resolve("data").toString(), "--port", "x")) {
            assertThat(broker.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(broker.process.exitValue()).isEqualTo(2);
            assertThat(broker.stderrLines()).containsExactly(
                    "--port must be a port number (0-65535), not x", EmbeddedKafkaMain.USAGE);
        }
    }

    @Test
    void clusterOptionsGoTogetherAndReplaceTheControllerPort() throws Exception {
        String data = tmp.resolve("data").toString();
        assertBadUsage("--node-id, --cluster-id and --voters go together", "--data-dir", data, "--node-id", "1");
        assertBadUsage("--controller-port is for a single node; a cluster node takes its port from --voters", "--data-dir", data,
                "--node-id", "1", "--cluster-id", "MkU3OEVBNTcwNTJENDM2Qg", "--voters", "1@127.0.0.1:9192", "--controller-port", "9193");
        assertBadUsage("node id 2 is not one of the voters 1@127.0.0.1:9192", "--data-dir", data,
                "--node-id", "2", "--cluster-id", "MkU3OEVBNTcwNTJENDM2Qg", "--voters", "1@127.0.0.1:9192");
    }

    @Test
    void securityOptionsGoWithSecure() throws Exception {
        String data = tmp.resolve("data").toString();
        assertBadUsage("--client-properties goes with --secure", "--data-dir", data,
                "--client-properties", tmp.resolve("client.properties").toString());
        assertThat(tmp.resolve("data")).doesNotExist();
    }

    private void assertBadUsage(String message, String... args) throws Exception {
        try (Child broker = Child.launch(tmp, args)) {
            assertThat(broker.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(broker.process.exitValue()).isEqualTo(2);
            assertThat(broker.stderrLines()).containsExactly(message, EmbeddedKafkaMain.USAGE);
        }
    }

    /** A child JVM running EmbeddedKafkaMain; closing it kills what is left of it. */
    private static final class Child implements AutoCloseable {
        final Process process;
        private final BufferedReader stdout;
        private final Path stderr;

        private Child(Process process, Path stderr) {
            this.process = process;
            this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.stderr = stderr;
        }

        static Child launch(Path tmp, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    EmbeddedKafkaMain.class.getName()));
            command.addAll(List.of(args));
            Path stderr = Files.createTempFile(tmp, "stderr-", ".txt");
            return new Child(new ProcessBuilder(command).redirectError(stderr.toFile()).start(), stderr);
        }

        /** The address from the bootstrap line, which must be the first line on stdout. */
        String awaitBootstrap() throws Exception {
            String line = CompletableFuture.supplyAsync(this::readLine).get(60, TimeUnit.SECONDS);
            assertThat(line).as("first stdout line; stderr: %s", stderrLines()).startsWith(EmbeddedKafkaMain.BOOTSTRAP_PREFIX);
            String bootstrap = line.substring(EmbeddedKafkaMain.BOOTSTRAP_PREFIX.length());
            assertThat(bootstrap).matches("127\\.0\\.0\\.1:\\d+");
            return bootstrap;
        }

        String restOfStdout() throws IOException {
            StringBuilder rest = new StringBuilder();
            for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
                rest.append(line).append('\n');
            }
            return rest.toString();
        }

        List<String> stderrLines() throws IOException {
            return Files.readAllLines(stderr);
        }

        private String readLine() {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly().waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
