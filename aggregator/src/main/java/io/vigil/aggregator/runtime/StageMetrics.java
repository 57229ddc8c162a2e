package io.vigil.aggregator.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * One stage's meters: input records, records written per topic (changes per level, membership
 * updates, dead letters), dead letters by cause, failed sessions by exception and in a row, batch
 * and commit latency, restore time, consumer lag and whether it is restoring. Counters are
 * thread-safe; the gauges read fields the stage thread writes.
 */
final class StageMetrics {

    /** The {@code level} tag of records written to each topic; state changelogs are "state". */
    private static final Map<String, String> LEVELS = Map.of(Topics.INBOUND_HEALTH.name(), "inbound",
            Topics.PROXY_HEALTH.name(), "proxy", Topics.SERVICE_HEALTH.name(), "service",
            Topics.SERVICE_ENDPOINTS.name(), "service-endpoints", Topics.SERVICE_MEMBERSHIP.name(), "membership", Topics.DEAD_LETTER.name(), "dead-letter");

    /** The causes {@link #deadLettered} is called with. */
    private static final List<String> DEAD_LETTER_CAUSES = List.of("input", "oversized", "refused");

    private final MeterRegistry registry;
    private final String stage;
    private final Counter records;
    private final Timer batch;
    private final Timer commit;
    private final Timer restore;
    private final Map<String, Counter> written = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private volatile double lag;
    private volatile double restoring;

    StageMetrics(MeterRegistry registry, String stage, IntSupplier failuresInARow) {
        this.registry = registry;
        this.stage = stage;
        records = Counter.builder("vigil.aggregator.records").description("Input records processed")
                .tag("stage", stage).register(registry);
        batch = Timer.builder("vigil.aggregator.batch").description("A transaction's batch, from its first record to its commit")
                .tag("stage", stage).register(registry);
        commit = Timer.builder("vigil.aggregator.commit").description("Ending a batch and committing its transaction")
                .tag("stage", stage).register(registry);
        restore = Timer.builder("vigil.aggregator.restore").description("Restoring the state of newly assigned partitions")
                .tag("stage", stage).register(registry);
        Gauge.builder("vigil.aggregator.consumer.lag", this, m -> m.lag).description("Largest record lag over the stage's partitions")
                .tag("stage", stage).register(registry);
        Gauge.builder("vigil.aggregator.restoring", this, m -> m.restoring).description("1 while restoring state")
                .tag("stage", stage).register(registry);
        Gauge.builder("vigil.aggregator.failures.in.a.row", failuresInARow, IntSupplier::getAsInt)
                .description("Sessions that failed in a row; 0 once a commit succeeds").tag("stage", stage).register(registry);
        // Registered at zero, so that an alert on their increase sees the first dead letter too.
        for (String cause : DEAD_LETTER_CAUSES) {
            deadLetters(cause);
        }
    }

    /** A record went to the dead-letter topic: {@code input} (unusable), {@code oversized} or {@code refused} (an output). */
    void deadLettered(String cause) {
        deadLetters(cause).increment();
    }

    private Counter deadLetters(String cause) {
        return deadLetters.computeIfAbsent(cause, c -> Counter.builder("vigil.aggregator.dead.letters").description("Records dead-lettered, by cause")
                .tag("stage", stage).tag("cause", c).register(registry));
    }

    /** A session failed and restarts from the last commit. */
    void failed(Throwable failure) {
        failures.computeIfAbsent(failure.getClass().getSimpleName(), e -> Counter.builder("vigil.aggregator.failures")
                .description("Sessions that failed and restarted from the last commit, by exception").tag("stage", stage)
                .tag("exception", e).register(registry)).increment();
    }

    void recordProcessed() {
        records.increment();
    }

    /** One record written to {@code topic}; for the change topics this counts changes per level. */
    void wrote(String topic) {
        written.computeIfAbsent(topic, t -> Counter.builder("vigil.aggregator.written").description("Records written, by topic")
                .tag("stage", stage).tag("topic", t).tag("level", level(t)).register(registry)).increment();
    }

    Timer batch() {
        return batch;
    }

    Timer commit() {
        return commit;
    }

    Timer restore() {
        return restore;
    }

    void lag(double value) {
        lag = value;
    }

    void restoring(boolean value) {
        restoring = value ? 1 : 0;
    }

    private static String level(String topic) {
        return LEVELS.getOrDefault(topic, "state");
    }
}
