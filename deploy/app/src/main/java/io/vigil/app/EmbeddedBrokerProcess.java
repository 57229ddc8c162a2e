package io.vigil.app;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The embedded Kafka broker ({@code io.vigil.kafka.EmbeddedKafkaMain}) as a child process on its
 * own classpath, so the broker's jars never mix with the application's.
 *
 * <p>The child runs in its own session ({@code setsid}) so a Ctrl-C in the terminal reaches only
 * vigil, which stops the broker after its own Kafka clients have flushed; and it watches its
 * stdin, so it exits by itself if vigil dies without stopping it.
 */
final class EmbeddedBrokerProcess implements AutoCloseable {

    private static final String MAIN = "io.vigil.kafka.EmbeddedKafkaMain";
    private static final String BOOTSTRAP_LINE = "bootstrap: ";

    private final Process process;
    private final String bootstrapServers;

    private EmbeddedBrokerProcess(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts the broker with its data under {@code dataDir} and waits until it serves. */
    static EmbeddedBrokerProcess start(Path dataDir, EmbeddedBrokerOptions options, boolean inheritOutput) throws IOException {
        options.validate();
        Path lib = AppHome.embeddedKafkaLib();
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + options.heap);
        command.addAll(List.of("-cp", lib.resolve("*").toString(), MAIN,
                "--data-dir", dataDir.toString(), "--port", Integer.toString(options.port), "--watch-stdin"));
        Files.createDirectories(dataDir);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        CompletableFuture<String> bootstrap = CompletableFuture.supplyAsync(() -> readUntilReady(process, inheritOutput));
        try {
            return new EmbeddedBrokerProcess(process, bootstrap.get(90, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while the embedded Kafka broker started");
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            String why = e instanceof TimeoutException ? "it was not ready after 90 s" : e.getCause().getMessage();
            throw new IOException("the embedded Kafka broker did not start: " + why);
        }
    }

    private static String readUntilReady(Process process, boolean inheritOutput) {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = out.readLine()) != null) {
                if (inheritOutput) {
                    System.out.println(line);
                }
                if (line.startsWith(BOOTSTRAP_LINE)) {
                    String address = line.substring(BOOTSTRAP_LINE.length()).trim();
                    Thread drain = new Thread(() -> drain(out, inheritOutput), "embedded-kafka-stdout");
                    drain.setDaemon(true);
                    drain.start();
                    return address;
                }
            }
            throw new IllegalStateException("it exited with status " + process.waitFor() + " (its reason is above)");
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void drain(BufferedReader out, boolean print) {
        try {
            String line;
            while ((line = out.readLine()) != null) {
                if (print) {
                    System.out.println(line);
                }
            }
        } catch (IOException ignored) {
            // the broker closed its stdout: it is exiting
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** Blocks until the broker exits by itself; returns its exit status. */
    int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** Asks the broker to stop (SIGTERM) and waits for it; kills it after 60 s. Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
