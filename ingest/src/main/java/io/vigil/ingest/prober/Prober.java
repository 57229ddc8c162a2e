package io.vigil.ingest.prober;

import io.vigil.avro.DataplaneEvent;
import io.vigil.ingest.EventSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The probe loop: every {@code tick} it takes the checks that are due, runs at most
 * {@code maxConcurrency} at once, and appends each outcome as a {@code probe-result} event.
 * Nothing is published when nothing is due, for a refused target, or for a target that changed
 * or paused while its check ran. When checks fall behind (every slot busy), ticks are dropped and
 * the overdue checks run as slots free up; no check of one target overlaps another of it.
 *
 * <p>Threading: the ticks run on a single-threaded scheduler of its own; checks complete on
 * whatever thread their I/O completes on. {@link #start} and {@link #close} are called once each.
 */
public final class Prober implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Prober.class);

    private final ProbeTargets targets;
    private final ProbeRunner runner;
    private final EventSink sink;
    private final ProberMetrics metrics;
    private final Clock clock;
    private final Duration tick;
    private final int maxConcurrency;
    private final Scheduler ticks = Schedulers.newSingle("vigil-prober-tick", true);
    private volatile Disposable loop;

    public Prober(ProbeTargets targets, ProbeRunner runner, EventSink sink, ProberMetrics metrics, Clock clock,
                  Duration tick, int maxConcurrency) {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("vigil.prober.max-concurrency must be at least 1, got " + maxConcurrency);
        }
        this.targets = targets;
        this.runner = runner;
        this.sink = sink;
        this.metrics = metrics;
        this.clock = clock;
        this.tick = tick;
        this.maxConcurrency = maxConcurrency;
    }

    public Prober start() {
        loop = Flux.interval(Duration.ZERO, tick, ticks)
                .onBackpressureDrop()
                .concatMapIterable(ignored -> targets.takeDue(clock.millis()), 1)
                .flatMap(this::probe, maxConcurrency)
                .subscribe(null, failure -> LOG.error("the probe loop stopped", failure));
        return this;
    }

    private Mono<Void> probe(ProbeTarget target) {
        Instant started = clock.instant();
        return runner.run(target)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .onErrorResume(failure -> {
                    // A check that fails in an unforeseen way must not end the loop for every other target.
                    LOG.warnf(failure, "check of %s failed", target.describe());
                    return Mono.just(Optional.empty());
                })
                .flatMap(outcome -> outcome.isPresent() && targets.current(target)
                        ? publish(target, started, outcome.get())
                        : Mono.empty())
                .doFinally(signal -> targets.release(target));
    }

    private Mono<Void> publish(ProbeTarget target, Instant started, CheckOutcome outcome) {
        DataplaneEvent event = ProbeResultEvents.of(target, started, outcome);
        return Mono.fromFuture(() -> sink.append(List.of(event)))
                .onErrorResume(failure -> {
                    metrics.publishFailed();
                    LOG.warnf("probe result of %s not written: %s", target.describe(), failure.getMessage());
                    return Mono.empty();
                });
    }

    @Override
    public void close() {
        Disposable running = loop;
        if (running != null) {
            running.dispose();
        }
        ticks.dispose();
    }
}
