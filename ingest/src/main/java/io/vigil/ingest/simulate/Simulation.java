package io.vigil.ingest.simulate;

import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.EventJson;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of {@code vigil simulate}: draws events from a {@link FleetGenerator} on a fixed
 * schedule (event {@code n} is due {@code n / rate} seconds after the start, so a late moment is
 * made up and the average holds; the thread parks until the next one is due), hands them to
 * {@link Lanes} for sending, optionally writes each as a JSON line to {@code output}, and shows
 * {@link Progress}. The run ends after {@code duration} or {@code count} events, on {@link #stop},
 * or when the target refuses the token.
 *
 * <p>{@link #run} is for one thread; {@link #stop} may be called from any other (a shutdown hook).
 */
public final class Simulation {

    private static final int REPORTED_PROBLEMS = 10;

    /**
     * @param rate events per second; 0 for as fast as the target takes them
     * @param duration how long to generate, or null for no limit
     * @param count how many events to generate, or 0 for no limit
     */
    public record Settings(double rate, Duration duration, long count, int batch, int concurrency) {

        public Settings {
            if (!(rate >= 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("--rate must be a number of events per second, at least 0 (0: no limit), got " + rate);
            }
            if (duration != null && (duration.isNegative() || duration.isZero())) {
                throw new IllegalArgumentException("--duration must be positive, got " + duration);
            }
            if (count < 0) {
                throw new IllegalArgumentException("--count must not be negative, got " + count);
            }
            if (batch < 1 || batch > 10_000) {
                throw new IllegalArgumentException("--batch must be between 1 and 10000, got " + batch);
            }
            if (concurrency < 1 || concurrency > 64) {
                throw new IllegalArgumentException("--concurrency must be between 1 and 64, got " + concurrency);
            }
        }
    }

    /** What a run achieved: events accepted, events refused, and the rate of accepted events. */
    public record Summary(long sent, long failed, Duration elapsed, String fatal) {

        public double rate() {
            return elapsed.isZero() ? 0 : sent * 1e9 / elapsed.toNanos();
        }
    }

    private final FleetGenerator generator;
    private final SimulationSink sink;
    private final Settings settings;
    private final Writer output;
    private final PrintStream err;
    private final boolean terminal;
    private volatile boolean stopped;

    /**
     * @param output receives every generated event as a JSON line (for {@code vigil replay}), or null
     * @param err where progress and refusals are shown
     * @param terminal whether {@code err} is a terminal (progress rewrites one line)
     */
    public Simulation(FleetGenerator generator, SimulationSink sink, Settings settings, Writer output, PrintStream err, boolean terminal) {
        this.generator = generator;
        this.sink = sink;
        this.settings = settings;
        this.output = output;
        this.err = err;
        this.terminal = terminal;
    }

    /** Asks a running {@link #run} to stop generating; it still sends what it has generated. */
    public void stop() {
        stopped = true;
    }

    public Summary run() throws InterruptedException, IOException {
        AtomicInteger problems = new AtomicInteger();
        Lanes lanes = new Lanes(sink, settings.concurrency(), settings.batch(), problem -> {
            if (problems.incrementAndGet() <= REPORTED_PROBLEMS) {
                err.println((terminal ? "\n" : "") + "refused: " + problem);
            }
        });
        long start = System.nanoTime();
        long end = settings.duration() == null ? Long.MAX_VALUE : settings.duration().toNanos();
        try (Progress progress = new Progress(err, terminal, lanes::sent, lanes::failed)) {
            for (long n = 0; !stopped && (settings.count() == 0 || n < settings.count()) && lanes.fatal() == null; n++) {
                long due = settings.rate() == 0 ? 0 : (long) (n * 1e9 / settings.rate());
                if (due >= end || !waitUntil(start + due) || System.nanoTime() - start >= end) {
                    break;
                }
                DataplaneEvent event = generator.next();
                if (output != null) {
                    output.write(EventJson.renderText(event));
                    output.write('\n');
                }
                lanes.offer(event);
            }
            lanes.finish();
        }
        if (output != null) {
            output.flush();
        }
        return new Summary(lanes.sent(), lanes.failed(), Duration.ofNanos(System.nanoTime() - start), lanes.fatal());
    }

    /** Parks until {@code deadline} (System.nanoTime); false when stopped meanwhile. */
    private boolean waitUntil(long deadline) {
        for (long wait = deadline - System.nanoTime(); wait > 0 && !stopped; wait = deadline - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
        return !stopped;
    }
}
