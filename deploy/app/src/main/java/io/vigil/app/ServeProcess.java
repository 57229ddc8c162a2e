package io.vigil.app;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code vigil serve} of a local cluster as a child process: the application at
 * {@code appHome} on its own HTTP port and data dir, its output in a log file. Like the embedded
 * broker it runs in its own session, so a Ctrl-C in the terminal reaches only the parent, which
 * stops its children in order.
 *
 * <p>Threading: any thread may call the methods; {@link #awaitReady}, {@link #kill} and
 * {@link #close} block.
 */
final class ServeProcess implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(250);

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private ServeProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Launches {@code vigil serve} without waiting for it.
     *
     * @param environment variables on top of this process's own, such as {@code KAFKA_BOOTSTRAP_SERVERS}
     */
    static ServeProcess launch(String name, Path appHome, String heap, List<String> serveArguments, int port,
                               Map<String, String> environment, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-Dvigil.home=" + appHome, "-jar", appHome.resolve("quarkus-run.jar").toString(),
                "serve", "--port", Integer.toString(port)));
        command.addAll(serveArguments);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                // Appended: a restarted process's log follows what it wrote before it was killed.
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        return new ServeProcess(name, builder.start(), port, log);
    }

    /** Its base URL, {@code http://127.0.0.1:PORT}. */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Where its output goes. */
    Path log() {
        return log;
    }

    /**
     * Polls {@code /q/health/ready} until it answers 200.
     *
     * @throws IOException if the process exits first or is not ready within {@code timeout}
     */
    ServeProcess awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI ready = URI.create(url() + "/q/health/ready");
        while (readiness(ready) != 200) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with status " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(name + " was not ready after " + timeout.toSeconds() + " s; see " + log);
            }
            Thread.sleep(POLL.toMillis());
        }
        return this;
    }

    /** SIGKILL, as a crash: no shutdown hook, no last commit. Waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Asks it to stop (SIGTERM) without waiting; {@link #close()} then waits. */
    void requestStop() {
        process.destroy();
    }

    /** SIGTERM, then SIGKILL if it has not stopped within a minute. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static int readiness(URI url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            return connection.getResponseCode();
        } catch (IOException notYet) {
            return -1;
        }
    }
}
