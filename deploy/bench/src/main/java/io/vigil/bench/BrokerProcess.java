package io.vigil.bench;

import io.vigil.schemas.kafka.KafkaSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The embedded broker in a JVM of its own (as {@code vigil serve} runs it), so a benchmark's
 * own allocation and GC do not land on the broker's and the other way round. Started from this
 * JVM's class path; dies with its parent ({@code --watch-stdin}).
 */
final class BrokerProcess implements AutoCloseable {

    private final Process process;
    private final String bootstrapServers;

    private BrokerProcess(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    static BrokerProcess start(Path dataDir) throws IOException {
        Process process = new ProcessBuilder(ChildProcesses.javaCommand("2g", "io.vigil.kafka.EmbeddedKafkaMain",
                "--data-dir", dataDir.toString(), "--port", "0", "--watch-stdin"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("bootstrap: ")) {
            process.destroyForcibly();
            throw new IOException("the broker did not start (first line: " + line + "); see " + dataDir.resolve("broker.log"));
        }
        return new BrokerProcess(process, line.substring("bootstrap: ".length()).trim());
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** What every benchmark client of this broker uses ({@link BenchKafka}). */
    KafkaSettings settings() {
        return BenchKafka.settings(bootstrapServers);
    }

    @Override
    public void close() throws InterruptedException {
        ChildProcesses.stop(process);
    }
}
