package io.vigil.bench;

import java.util.List;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link FoldBenchmark} in {@code forks} forks (3 by default) and reports each method's
 * median over the forks as a {@link BenchResults} row.
 * Arguments: {@code [forks (3)]}.
 */
public final class FoldBenchmarkRunner {

    private FoldBenchmarkRunner() {
    }

    public static void main(String[] args) throws RunnerException {
        int forks = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        var options = new OptionsBuilder().include(FoldBenchmark.class.getName()).forks(forks).build();
        for (RunResult run : new Runner(options).run()) {
            String method = run.getParams().getBenchmark().substring(FoldBenchmark.class.getName().length() + 1);
            List<Double> perFork = run.getBenchmarkResults().stream().map(BenchmarkResult::getPrimaryResult)
                    .map(result -> result.getScore()).toList();
            String metric = "FoldBenchmark." + method + " (one thread, 100k dataplanes x 4 inbounds)";
            BenchResults.row("Core (JMH)", metric, perFork, "events/s", ">= 2M events/s");
        }
    }
}
