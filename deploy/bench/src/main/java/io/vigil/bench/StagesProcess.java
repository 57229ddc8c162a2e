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

    /** Both stages' state of 100k dataplanes with room to spare; a million need more ({@link #heapFor}). */
    private static final String DEFAULT_HEAP = "4g";

    private final Process process;
    private final String heap;

    private StagesProcess(Process process, String heap) {
        this.process = process;
        this.heap = heap;
    }

    /**
     * A heap for both stages holding {@code dataplanes} dataplanes x 4 inbounds: the default up to
     * 250k, then 2 GiB more per 250k (a million restored into 4 GiB spent minutes in full GCs).
     */
    static String heapFor(int dataplanes) {
        return Math.max(4, 2 * (int) Math.ceil(dataplanes / 250_000.0)) + "g";
    }

    /** Starts the process with the default heap and waits for its {@code ready} line. */
    static StagesProcess startAndAwaitReady(String bootstrapServers, Path log) throws IOException {
        return startAndAwaitReady(bootstrapServers, log, DEFAULT_HEAP);
    }

    /** Starts the process with this maximum heap (e.g. {@code 8g}) and waits for its {@code ready} line. */
    static StagesProcess startAndAwaitReady(String bootstrapServers, Path log, String heap) throws IOException {
        Process process = new ProcessBuilder(ChildProcesses.javaCommand(heap, StagesProcess.class.getName(), bootstrapServers))
                .redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!READY.equals(line)) {
            process.destroyForcibly();
            throw new IOException("the aggregator process did not get ready (said " + line + "); see " + log);
        }
        return new StagesProcess(process, heap);
    }

    /** The maximum heap it was started with, for a process that replaces it. */
    String heap() {
        return heap;
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
