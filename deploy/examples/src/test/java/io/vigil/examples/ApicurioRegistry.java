package io.vigil.examples;

import static org.awaitility.Awaitility.await;

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
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Apicurio Registry 3 (in-memory storage, its default) in a child process on free loopback
 * ports: the distribution Maven unpacks into {@code vigil.apicurio-registry.dir}, run by a JDK 21+
 * (the registry's minimum) while the tests stay on 17. Used from one test thread.
 */
final class ApicurioRegistry implements AutoCloseable {

    static final String JAVA_HOME_VARIABLE = "VIGIL_REGISTRY_JAVA_HOME";
    private static final int MIN_JAVA = 21;

    private final Process process;
    private final Path log;
    private final int port;

    private ApicurioRegistry(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts the registry, its output going to {@code log}, and returns once its Confluent-compatible API answers.
     *
     * @throws IllegalStateException when no JDK 21+ is found (saying what to install) or the
     *     registry does not come up within a minute (with its log)
     */
    static ApicurioRegistry start(Path log) throws IOException {
        Path home = Path.of(System.getProperty("vigil.apicurio-registry.dir", "target/apicurio-registry"));
        Path jar = home.resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the deploy/examples build unpacks io.apicurio:apicurio-registry-app "
                    + "(tar.gz, classifier all) there before the tests; run the tests through Maven");
        }
        Path java = javaHome().resolve("bin/java");
        int port = freePort();
        int managementPort = freePort();
        Process process = new ProcessBuilder(java.toString(), "-Xmx256m",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                "-jar", jar.toString())
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ApicurioRegistry registry = new ApicurioRegistry(process, log, port);
        try {
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                    .until(() -> !process.isAlive() || registry.answers());
        } catch (ConditionTimeoutException e) {
            registry.close();
            throw new IllegalStateException("Apicurio Registry did not answer within a minute; its log:\n" + registry.log(), e);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("Apicurio Registry exited with status " + process.exitValue() + "; its log:\n" + registry.log());
        }
        return registry;
    }

    /** {@value #JAVA_HOME_VARIABLE}, else the newest JDK 21+ under /usr/lib/jvm. */
    private static Path javaHome() throws IOException {
        Optional<String> configured = Optional.ofNullable(System.getenv(JAVA_HOME_VARIABLE)).filter(value -> !value.isBlank());
        if (configured.isPresent()) {
            Path home = Path.of(configured.get());
            if (major(home) < MIN_JAVA) {
                throw new IllegalStateException(JAVA_HOME_VARIABLE + "=" + home + " is not a JDK " + MIN_JAVA + " or newer");
            }
            return home;
        }
        Path jvms = Path.of("/usr/lib/jvm");
        List<Path> candidates;
        try (Stream<Path> all = Files.isDirectory(jvms) ? Files.list(jvms) : Stream.empty()) {
            candidates = all.filter(dir -> dir.getFileName().toString().contains("jdk")).toList();
        }
        return candidates.stream().filter(dir -> major(dir) >= MIN_JAVA).max(Comparator.comparingInt(ApicurioRegistry::major))
                .orElseThrow(() -> new IllegalStateException("Apicurio Registry 3 needs Java " + MIN_JAVA + " or newer and none was found: "
                        + "install one (e.g. apt-get install openjdk-21-jdk-headless, or a Temurin 21+ JDK) under /usr/lib/jvm, or set "
                        + JAVA_HOME_VARIABLE + " to its home"));
    }

    /** The major version in a JDK's {@code release} file; 0 when it has none. */
    private static int major(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
            return 0;
        }
        Properties properties = new Properties();
        try (var in = Files.newInputStream(release)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = properties.getProperty("JAVA_VERSION", "\"0\"").replace("\"", "");
        return Integer.parseInt(version.split("[.+-]")[0]);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private boolean answers() {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ccompatUrl() + "/subjects"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Its Confluent-compatible API, what {@code vigil serve --schema-registry} takes. */
    String ccompatUrl() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    /** Its own API, what Apicurio's serdes take. */
    String registryUrl() {
        return "http://127.0.0.1:" + port + "/apis/registry/v3";
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
