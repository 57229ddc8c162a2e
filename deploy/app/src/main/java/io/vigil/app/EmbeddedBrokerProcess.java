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
 *
 * <p>A single broker is {@link #start started} in one call; the nodes of a cluster are each
 * {@link #launch launched} first and then {@link #awaitReady awaited}, because a node is ready
 * only once enough of the others run to form the quorum.
 *
 * <p>Threading: any thread may call the methods; {@link #awaitReady} and {@link #close} block.
 */
final class EmbeddedBrokerProcess implements AutoCloseable {

    private static final String MAIN = "io.vigil.kafka.EmbeddedKafkaMain";
    private static final String BOOTSTRAP_LINE = "bootstrap: ";

    private final Process process;
    private final CompletableFuture<String> bootstrap;
    /** Set before vigil itself stops or kills the broker, so that its exit is not taken for a death. */
    private volatile boolean stopping;

    private EmbeddedBrokerProcess(Process process, CompletableFuture<String> bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    /**
     * Starts the broker with its data under {@code dataDir} and waits until it serves.
     *
     * @param moreArguments EmbeddedKafkaMain's arguments besides the data dir and the port, such as {@code --secure}
     */
    static EmbeddedBrokerProcess start(Path dataDir, EmbeddedBrokerOptions options, List<String> moreArguments, boolean inheritOutput)
            throws IOException {
        options.validate();
        List<String> arguments = new ArrayList<>(List.of("--port", Integer.toString(options.port)));
        arguments.addAll(options.brokerArguments());
        arguments.addAll(moreArguments);
        return launch(AppHome.embeddedKafkaLib(), dataDir, options.heap, arguments, inheritOutput).awaitReady();
    }

    /**
     * Starts a broker from the broker classpath {@code lib} without waiting for it.
     *
     * @param brokerArguments EmbeddedKafkaMain's arguments besides the data dir, such as the port
     *        or a cluster node's id, cluster id and voters
     */
    static EmbeddedBrokerProcess launch(Path lib, Path dataDir, String heap, List<String> brokerArguments, boolean inheritOutput)
            throws IOException {
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.addAll(List.of("-cp", lib.resolve("*").toString(), MAIN, "--data-dir", dataDir.toString(), "--watch-stdin"));
        command.addAll(brokerArguments);
        Files.createDirectories(dataDir);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new EmbeddedBrokerProcess(process, CompletableFuture.supplyAsync(() -> readUntilReady(process, inheritOutput)));
    }

    /** Waits until the broker serves; kills it if it fails or is not ready within 90 s. */
    EmbeddedBrokerProcess awaitReady() throws IOException {
        try {
            bootstrap.get(90, TimeUnit.SECONDS);
            return this;
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

    /** The address the broker announced; only after {@link #awaitReady()}. */
    String bootstrapServers() {
        return bootstrap.getNow(null);
    }

    /**
     * Completes with the broker's exit status if it exits while nobody asked it to (a crash, an
     * OOM kill, a SIGKILL from outside); never completes when vigil stops it.
     */
    CompletableFuture<Integer> died() {
        CompletableFuture<Integer> died = new CompletableFuture<>();
        process.onExit().thenAccept(exited -> {
            if (!stopping) {
                died.complete(exited.exitValue());
            }
        });
        return died;
    }

    /** Blocks until the broker exits by itself; returns its exit status. */
    int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** SIGKILL, as a crash: no orderly shutdown. Waits until the process is gone. */
    void kill() throws InterruptedException {
        stopping = true;
        process.destroyForcibly().waitFor();
    }

    /** Asks the broker to stop (SIGTERM) without waiting; {@link #close()} then waits. */
    void requestStop() {
        stopping = true;
        process.destroy();
    }

    /** Asks the broker to stop (SIGTERM) and waits for it; kills it after 60 s. Idempotent. */
    @Override
    public void close() {
        stopping = true;
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
