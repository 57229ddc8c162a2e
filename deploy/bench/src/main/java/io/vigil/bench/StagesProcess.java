package io.vigil.bench;

import io.vigil.aggregator.runtime.PipelineHarness;
import io.vigil.aggregator.runtime.StageRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Both aggregator stages in a JVM of their own, so a benchmark can SIGKILL them: {@link #main}
 * prints {@code ready} once both stages own their partitions with their state restored, then
 * runs until killed or its stdin closes.
 */
final class StagesProcess implements AutoCloseable {

    private static final String READY = "ready";

    private final Process process;

    private StagesProcess(Process process) {
        this.process = process;
    }

    /** Starts the process and waits for its {@code ready} line. */
    static StagesProcess startAndAwaitReady(String bootstrapServers, Path log) throws IOException {
        Process process = new ProcessBuilder(ChildProcesses.javaCommand("4g", StagesProcess.class.getName(), bootstrapServers))
                .redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!READY.equals(line)) {
            process.destroyForcibly();
            throw new IOException("the aggregator process did not get ready (said " + line + "); see " + log);
        }
        return new StagesProcess(process);
    }

    /** SIGKILL: no last commit, no leaving the group. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        ChildProcesses.stop(process);
    }

    public static void main(String[] args) throws Exception {
        try (PipelineHarness harness = new PipelineHarness(BenchKafka.settings(args[0]), PipelineBenchmark.SETTINGS);
             StageRunner stage1 = harness.stage1("bench-kill");
             StageRunner stage2 = harness.stage2("bench-kill")) {
            while (!stage1.ready() || !stage2.ready()) {
                Thread.sleep(5);
            }
            System.out.println(READY);
            System.out.flush();
            while (System.in.read() != -1) {
                // Runs until the parent closes stdin (or kills it).
            }
        }
    }
}
