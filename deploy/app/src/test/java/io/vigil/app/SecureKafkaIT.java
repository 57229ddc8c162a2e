package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClientConfig;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vigil on a secured Kafka, as an operator runs it from the packaged application:
 * {@code vigil kafka --secure} (SASL_SSL with SCRAM-SHA-512, its own CA, ACLs, no plaintext
 * listener) writes {@code client.properties}; {@code vigil serve} runs every default role over it
 * (ingest's SmallRye channel, the prober's group, both aggregator stages with their transactions,
 * the projections' readers) with its settings from three places at once: the file, a
 * {@code KAFKA_*} variable and a {@code -Dvigil.kafka.*} property that overrides a wrong value in the
 * file; {@code vigil replay --kafka-config} reads the event log over it. A client without the
 * credentials gets nothing, and no password reaches any output.
 */
class SecureKafkaIT {

    private static final Path APP = Path.of("target", "quarkus-app").toAbsolutePath();
    private static final Pattern BOOTSTRAP_LINE = Pattern.compile("^bootstrap: (\\S+)$", Pattern.MULTILINE);
    private static final Pattern PASSWORD = Pattern.compile("password=\"([^\"]+)\"");

    @TempDir
    Path tmp;

    private final List<Child> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A process of the packaged application and the file its output goes to. */
    private record Child(Process process, Path log) {

        String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @AfterEach
    void stopEverythingStarted() throws InterruptedException {
        for (Child child : started) {
            List<ProcessHandle> children = child.process().descendants().toList();
            child.stop();
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void thePipelineRunsOverTlsAndScramWithVigilsAclsAndAClientWithoutCredentialsIsRefused() throws Exception {
        Path kafkaDir = tmp.resolve("kafka");
        int kafkaPort = freePort();
        Child kafka = vigil("kafka", "kafka", "--secure", "--data-dir", kafkaDir.toString(), "--port", Integer.toString(kafkaPort));
        String bootstrap = awaitBootstrap(kafka);
        assertThat(bootstrap).isEqualTo("127.0.0.1:" + kafkaPort);

        Path clientProperties = kafkaDir.resolve("client.properties");
        assertThat(Files.getPosixFilePermissions(clientProperties)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Map<String, String> client = KafkaClientConfig.read(clientProperties);
        assertThat(client).containsEntry("bootstrap.servers", bootstrap).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("ssl.truststore.type", "PEM");
        String password = password(client);

        // No --bootstrap-server: the address comes from the file too. The trust settings come from
        // elsewhere: every client of every role must get them, or that role cannot connect.
        Path partial = tmp.resolve("partial.properties");
        Files.writeString(partial, Files.readString(clientProperties)
                .replaceAll("(?m)^ssl\\.truststore\\.type=.*$", "")
                .replaceAll("(?m)^ssl\\.truststore\\.location=.*$", "ssl.truststore.location=" + tmp.resolve("no-such-ca.crt")));
        Path serveDir = tmp.resolve("serve");
        int httpPort = freePort();
        Child serve = vigil("serve", Map.of("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM"),
                List.of("-Dvigil.kafka.ssl.truststore.location=" + client.get("ssl.truststore.location")),
                "serve", "--kafka-config", partial.toString(), "--data-dir", serveDir.toString(), "--port", Integer.toString(httpPort));
        awaitReady(serve, httpPort);
        assertThat(serve.output()).contains("kafka: " + bootstrap + " (client settings from " + partial + ")")
                .doesNotContain("starting the embedded broker");

        String mesh = "secure-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> lines = Scenarios.lines("10-service-aggregation").stream()
                .map(line -> line.replace("\"mesh\": \"default\"", "\"mesh\": \"" + mesh + "\"")).toList();
        post(httpPort, Files.readString(serveDir.resolve("admin-token")).strip(), lines);
        JsonNode expected = replayOf(lines);
        assertThat(expected.get("services")).as("stage 2 has something to show").isNotEmpty();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(Scenarios.withoutVersions(state(httpPort, mesh))).isEqualTo(expected));

        Cli.Result replay = Cli.run("replay", "--bootstrap-server", bootstrap, "--kafka-config", clientProperties.toString());
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(Scenarios.withoutVersions(Scenarios.onlyMeshes(Scenarios.parse(replay.out()), Set.of(mesh))))
                .isEqualTo(expected);

        try (Admin plaintext = new KafkaClients(KafkaSettings.of(bootstrap)).admin(ClientOptions.named("no-credentials")
                .tune(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000).tune(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000))) {
            assertThatThrownBy(() -> plaintext.listTopics().names().get(30, TimeUnit.SECONDS))
                    .as("a client without credentials gets no answer").hasCauseInstanceOf(TimeoutException.class);
        }

        serve.stop();
        kafka.stop();
        assertThat(kafka.output() + serve.output()).as("no password in any output").doesNotContain(password);
        assertThat(Files.readString(kafkaDir.resolve("kafka").resolve("broker.log"))).doesNotContain(password);

        Child again = vigil("kafka-again", "kafka", "--secure", "--data-dir", kafkaDir.toString(), "--port", Integer.toString(kafkaPort));
        awaitBootstrap(again);
        assertThat(password(KafkaClientConfig.read(clientProperties))).as("the password survives a restart").isEqualTo(password);
        Cli.Result afterRestart = Cli.run("replay", "--bootstrap-server", bootstrap, "--kafka-config", clientProperties.toString());
        assertThat(afterRestart.exitCode()).as(afterRestart.err()).isZero();
    }

    private Child vigil(String name, String... args) throws IOException {
        return vigil(name, Map.of(), List.of(), args);
    }

    private Child vigil(String name, Map<String, String> environment, List<String> jvmOptions, String... args) throws IOException {
        assertThat(APP.resolve("quarkus-run.jar")).as("the packaged application").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dvigil.home=" + APP, "-jar", APP.resolve("quarkus-run.jar").toString()));
        command.addAll(List.of(args));
        Path log = tmp.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Child child = new Child(builder.start(), log);
        started.add(child);
        return child;
    }

    private static String awaitBootstrap(Child kafka) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!kafka.process().isAlive()) {
                throw new AssertionError("vigil kafka --secure exited with status " + kafka.process().exitValue() + ":\n" + kafka.output());
            }
            return BOOTSTRAP_LINE.matcher(kafka.output()).find();
        });
        Matcher line = BOOTSTRAP_LINE.matcher(kafka.output());
        assertThat(line.find()).isTrue();
        return line.group(1);
    }

    private void awaitReady(Child serve, int port) {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!serve.process().isAlive()) {
                throw new AssertionError("vigil serve exited with status " + serve.process().exitValue() + ":\n" + serve.output());
            }
            try {
                return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notListeningYet) {
                return false;
            }
        });
    }

    private void post(int port, String token, List<String> lines) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines), StandardCharsets.UTF_8))
                .timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private JsonNode state(int port, String mesh) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/state?mesh=" + mesh))
                .timeout(Duration.ofSeconds(10)).build();
        return Scenarios.parse(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    private JsonNode replayOf(List<String> lines) {
        Path file = Scenarios.write(tmp.resolve("events.jsonl"), lines);
        Cli.Result replay = Cli.run("replay", "--events", file.toString(), "--format", "json");
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        return Scenarios.withoutVersions(Scenarios.parse(replay.out()));
    }

    private static String password(Map<String, String> client) {
        Matcher password = PASSWORD.matcher(client.get("sasl.jaas.config"));
        assertThat(password.find()).as("a SCRAM password in sasl.jaas.config").isTrue();
        return password.group(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
