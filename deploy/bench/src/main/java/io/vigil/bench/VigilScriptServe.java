package io.vigil.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code vigil serve} with every default role on the embedded broker, on free loopback ports and
 * a fresh data directory, as a user starts it; for benchmarks that measure through its API.
 */
final class VigilScriptServe implements AutoCloseable {

    private final Process process;
    private final String url;
    private final ScratchDir dataDir;
    private final int kafkaPort;

    private VigilScriptServe(Process process, String url, ScratchDir dataDir, int kafkaPort) {
        this.process = process;
        this.url = url;
        this.dataDir = dataDir;
        this.kafkaPort = kafkaPort;
    }

    /** Starts it and waits (up to 3 minutes) until {@code /q/health/ready} answers 200. */
    static VigilScriptServe start(Path vigilScript) throws IOException, InterruptedException {
        ScratchDir dataDir = ScratchDir.create("vigil-bench-serve");
        Path log = dataDir.resolve("serve.log");
        int port = freePort();
        int kafkaPort = freePort();
        Process process = new ProcessBuilder(vigilScript.toAbsolutePath().toString(), "serve", "--data-dir", dataDir.resolve("data").toString(),
                "--port", Integer.toString(port), "--kafka-port", Integer.toString(kafkaPort))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        VigilScriptServe serve = new VigilScriptServe(process, "http://127.0.0.1:" + port, dataDir, kafkaPort);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(serve.url + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                ChildProcesses.stop(process); // its data dir stays, for the log
                throw new IOException("vigil serve did not get ready; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return serve;
                }
            } catch (IOException notListeningYet) {
                // still starting
            }
            Thread.sleep(250);
        }
    }

    String url() {
        return url;
    }

    /** The embedded broker's address, for a benchmark that also reads vigil's topics. */
    String kafkaBootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** The admin token serve created in its data directory. */
    String token() throws IOException {
        return Files.readString(dataDir.resolve("data").resolve("admin-token")).strip();
    }

    @Override
    public void close() throws InterruptedException {
        ChildProcesses.stop(process);
        dataDir.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
