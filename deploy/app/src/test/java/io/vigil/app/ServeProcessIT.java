package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.EventJson;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil serve} as users run it: the packaged application ({@code target/quarkus-app}, so
 * failsafe runs this after package) with no Kafka configured, whose embedded broker is a child
 * process keeping its data under the data dir.
 */
class ServeProcessIT {

    private static final Path APP = Path.of("target", "quarkus-app").toAbsolutePath();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern KAFKA_LINE = Pattern.compile("^kafka: (\\S+)", Pattern.MULTILINE);

    @TempDir
    Path tmp;

    private final List<Serve> started = new ArrayList<>();
    private final Set<Integer> portsHandedOut = new HashSet<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A running {@code vigil serve} and the file its output goes to. */
    private record Serve(Process process, Path log, int httpPort, long startedNanos) {

        String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @AfterEach
    void stopEverythingStarted() throws InterruptedException {
        for (Serve serve : started) {
            // Taken first: once vigil is gone its children are no longer its descendants.
            List<ProcessHandle> children = serve.process().descendants().toList();
            serve.process().destroy();
            if (!serve.process().waitFor(30, TimeUnit.SECONDS)) {
                serve.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void secondServeOnTheSameDataDirExitsOneSayingItIsInUse() throws Exception {
        Path dataDir = tmp.resolve("data");
        Serve first = serve(dataDir, freePort(), freePort(), "first");
        awaitReady(first, "fresh data dir");

        // Other ports than the first's, so that only the data dir can be what is in use.
        Serve second = serve(dataDir, freePort(), freePort(), "second");
        assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).as("second serve exits").isTrue();
        System.out.printf("second vigil serve on the same data dir exited after %.1f s%n", seconds(second.startedNanos()));

        assertThat(second.process().exitValue()).as(second.output()).isEqualTo(1);
        assertThat(second.output()).contains("in use").contains(dataDir.toAbsolutePath().toString())
                .doesNotContain("starting the embedded broker");
        assertThat(first.process().isAlive()).isTrue();
    }

    @Test
    void sigtermStopsTheBrokerAndARestartKeepsRecordsAndTopics() throws Exception {
        Path dataDir = tmp.resolve("data");
        int httpPort = freePort();
        int kafkaPort = freePort();
        Serve first = serve(dataDir, httpPort, kafkaPort, "first");
        awaitReady(first, "fresh data dir");
        String kafka = kafkaAddress(first);
        assertThat(kafka).isEqualTo("127.0.0.1:" + kafkaPort);
        DataplaneEvent event = EventJson.parse(Scenarios.inOwnMeshes("05-partially-degraded-proxy", "serve-" + UUID.randomUUID()).get(0));
        RecordMetadata written = produce(kafka, event);
        Map<String, String> topicIds = topicIds(kafka);
        Path tokenFile = dataDir.resolve("admin-token");
        assertThat(tokenFile).as("the write API's admin token, created on the first start").exists();
        assertThat(java.nio.file.Files.getPosixFilePermissions(tokenFile))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String token = java.nio.file.Files.readString(tokenFile).strip();
        assertThat(token).hasSizeGreaterThan(30);
        assertThat(first.output()).contains(tokenFile.toAbsolutePath().toString()).doesNotContain(token);

        List<ProcessHandle> children = first.process().descendants().toList();
        assertThat(children).as("the embedded broker, a child process").isNotEmpty();
        first.process().destroy();
        assertThat(first.process().waitFor(60, TimeUnit.SECONDS)).as("vigil serve exits on SIGTERM").isTrue();
        // 143 is the JVM's status after its shutdown hooks ran on SIGTERM; a crash or kill would differ.
        assertThat(first.process().exitValue()).as(first.output()).isIn(0, 143);
        await().atMost(Duration.ofSeconds(30)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));

        Serve again = serve(dataDir, httpPort, kafkaPort, "restart");
        awaitReady(again, "restart on the same data dir");
        assertThat(kafkaAddress(again)).isEqualTo(kafka);
        assertThat(consume(kafka, written)).isEqualTo(event);
        assertThat(topicIds(kafka)).as("the same topics, not new ones").isEqualTo(topicIds);
        assertThat(again.output()).doesNotContain("created topics");
        assertThat(java.nio.file.Files.readString(tokenFile).strip()).as("the token survives restarts").isEqualTo(token);
    }

    @Test
    void theEmbeddedBrokersDeathStopsServeWithStatusOneSayingSo() throws Exception {
        Serve serve = serve(tmp.resolve("data"), freePort(), freePort(), "broker-dies");
        awaitReady(serve, "fresh data dir");
        ProcessHandle broker = serve.process().descendants()
                .filter(child -> child.info().commandLine().orElse("").contains("EmbeddedKafkaMain")).findFirst()
                .orElseThrow(() -> new AssertionError("no embedded broker among vigil's child processes"));

        broker.destroyForcibly();

        assertThat(serve.process().waitFor(60, TimeUnit.SECONDS)).as("vigil serve exits once its broker is gone").isTrue();
        assertThat(serve.process().exitValue()).as(serve.output()).isEqualTo(1);
        assertThat(serve.output()).contains("the embedded Kafka broker exited unexpectedly");
    }

    @Test
    void httpsWithReadTokensAsAnOperatorRunsIt() throws Exception {
        TestCertificate certificate = TestCertificate.shared();
        String token = "ops-read-token-0123456789";
        Path tokens = Files.writeString(tmp.resolve("tokens"), token + " * read\nwrite-token-0123456789 *\n");
        Path tokenFile = Files.writeString(tmp.resolve("token"), token + "\n");
        int httpPort = freePort();
        int httpsPort = freePort();
        Serve serve = serve(tmp.resolve("data"), httpPort, freePort(), "https", "--tls-cert", certificate.certificate().toString(),
                "--tls-key", certificate.key().toString(), "--tls-port", Integer.toString(httpsPort), "--require-read-token",
                "--tokens-file", tokens.toString());
        String base = "https://127.0.0.1:" + httpsPort;
        HttpClient trusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .sslContext(PemTrust.sslContext("test", certificate.certificate())).build();
        awaitReady(serve, "https, read tokens", trusting, base);

        assertThat(serve.output()).contains("at " + base).doesNotContain(token);
        HttpRequest meshes = HttpRequest.newBuilder(URI.create(base + "/api/v1/meshes")).timeout(Duration.ofSeconds(5)).build();
        assertThat(trusting.send(meshes, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
        HttpRequest withToken = HttpRequest.newBuilder(URI.create(base + "/api/v1/meshes")).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(5)).build();
        assertThat(trusting.send(withToken, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/meshes"))
                .timeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> http.send(plain, HttpResponse.BodyHandlers.discarding())).as("plain HTTP is not even opened")
                .isInstanceOf(java.net.ConnectException.class);

        Cli.Result inspect = Cli.run("inspect", "meshes", "--server", base, "--cacert", certificate.certificate().toString(),
                "--token-file", tokenFile.toString());
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();
    }

    @Test
    void anEmptyTokenInTheTokensFileStopsTheStartNamingItsLine() throws Exception {
        Path tokens = Files.writeString(tmp.resolve("tokens"), "a-good-token-0123456789 *\n\u00a0 payments\n");
        Serve serve = serve(tmp.resolve("data"), freePort(), freePort(), "empty-token", "--tokens-file", tokens.toString());
        assertThat(serve.process().waitFor(60, TimeUnit.SECONDS)).as("vigil serve exits").isTrue();
        assertThat(serve.process().exitValue()).as(serve.output()).isEqualTo(1);
        assertThat(serve.output()).contains("tokens line 2: the token is empty or only whitespace").contains(tokens.toString())
                .doesNotContain("a-good-token-0123456789");
    }

    private Serve serve(Path dataDir, int httpPort, int kafkaPort, String name, String... options) throws IOException {
        assertThat(APP.resolve("quarkus-run.jar")).as("the packaged application").exists();
        Path log = tmp.resolve(name + ".log");
        long startedNanos = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dvigil.home=" + APP,
                "-jar", APP.resolve("quarkus-run.jar").toString(),
                "serve", "--data-dir", dataDir.toString(), "--port", Integer.toString(httpPort),
                "--kafka-port", Integer.toString(kafkaPort)));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Serve serve = new Serve(process, log, httpPort, startedNanos);
        started.add(serve);
        return serve;
    }

    /** Waits for /q/health/ready to answer 200 and prints how long that took from the launch. */
    private void awaitReady(Serve serve, String label) {
        awaitReady(serve, label, http, "http://127.0.0.1:" + serve.httpPort());
    }

    /** Like {@link #awaitReady(Serve, String)}, asking {@code base} with {@code http}. */
    private static void awaitReady(Serve serve, String label, HttpClient http, String base) {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!serve.process().isAlive()) {
                throw new AssertionError("vigil serve exited with status " + serve.process().exitValue() + ":\n" + serve.output());
            }
            try {
                return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notListeningYet) {
                return false;
            }
        });
        System.out.printf("vigil serve ready after %.1f s (%s)%n", seconds(serve.startedNanos()), label);
    }

    private static String kafkaAddress(Serve serve) {
        Matcher line = KAFKA_LINE.matcher(serve.output());
        assertThat(line.find()).as("a 'kafka: HOST:PORT' line in\n%s", serve.output()).isTrue();
        return line.group(1);
    }

    private static RecordMetadata produce(String kafka, DataplaneEvent event) throws Exception {
        try (Producer<String, DataplaneEvent> producer = new KafkaClients(KafkaSettings.of(kafka)).producer(
                ClientOptions.named("serve-process-test").require(ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), Topics.DATAPLANE_EVENTS.serde().serializer())) {
            String key = KeyFormat.of(event.getMesh(), event.getDataplane());
            return producer.send(new ProducerRecord<>(Topics.DATAPLANE_EVENTS.name(), key, event)).get(30, TimeUnit.SECONDS);
        }
    }

    /** The value of the record at {@code written}'s partition and offset, read from the beginning of the partition. */
    private static DataplaneEvent consume(String kafka, RecordMetadata written) {
        TopicPartition partition = new TopicPartition(written.topic(), written.partition());
        AtomicReference<DataplaneEvent> found = new AtomicReference<>();
        try (Consumer<String, DataplaneEvent> consumer = new KafkaClients(KafkaSettings.of(kafka)).consumer(
                ClientOptions.named("serve-process-test"), new StringDeserializer(), Topics.DATAPLANE_EVENTS.serde().deserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, DataplaneEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == written.offset()) {
                        found.set(record.value());
                    }
                }
                return found.get() != null;
            });
        }
        return found.get();
    }

    /** Each vigil topic's id: a topic deleted and created again would get a new one. */
    private static Map<String, String> topicIds(String kafka) throws Exception {
        try (Admin admin = new KafkaClients(KafkaSettings.of(kafka)).admin(ClientOptions.named("serve-process-test"))) {
            Map<String, String> ids = new TreeMap<>();
            for (TopicDescription topic : admin.describeTopics(Topics.names()).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
                ids.put(topic.name(), topic.topicId().toString());
            }
            return ids;
        }
    }

    private int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (portsHandedOut.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
