package io.vigil.app;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code vigil serve --roles aggregator} from the packaged application, as a process of its own
 * on a free loopback port, its output in a log file.
 */
final class PackagedAggregator implements AutoCloseable {

    static final Path APP = Path.of("target", "quarkus-app").toAbsolutePath();

    private final Process process;
    private final int port;
    private final Path log;

    private PackagedAggregator(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static PackagedAggregator start(String kafka, Path dataDir, Path log) throws IOException {
        int port = freePort();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dvigil.home=" + APP, "-jar", APP.resolve("quarkus-run.jar").toString(),
                "serve", "--roles", "aggregator", "--bootstrap-server", kafka, "--data-dir", dataDir.toString(),
                "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new PackagedAggregator(process, port, log);
    }

    /** Waits until its readiness answers 200: joined, and every owned partition restored. Kills it if it never does. */
    PackagedAggregator awaitReady() {
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("the aggregator exited with status " + process.exitValue() + "; see " + log);
                }
                return status("http://127.0.0.1:" + port + "/q/health/ready") == 200;
            });
            return this;
        } catch (RuntimeException | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** SIGKILL: no shutdown hook, no last commit. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the aggregator did not die");
        }
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, then SIGKILL if it has not stopped within a minute. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static int status(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            return connection.getResponseCode();
        } catch (IOException notYet) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
