package io.vigil.ingest.prober;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The prober's meters: {@code vigil_prober_checks_total{result}}, {@code vigil_prober_refused_targets_total},
 * {@code vigil_prober_publish_failures_total} and the gauge {@code vigil_prober_targets}. Thread-safe.
 */
public final class ProberMetrics {

    private final Counter healthy;
    private final Counter unhealthy;
    private final Counter refused;
    private final Counter publishFailures;

    public ProberMetrics(MeterRegistry registry, ProbeTargets targets) {
        healthy = checks(registry, "healthy");
        unhealthy = checks(registry, "unhealthy");
        refused = Counter.builder("vigil.prober.refused.targets")
                .description("Targets refused because their address is outside vigil.prober.allowed-networks").register(registry);
        publishFailures = Counter.builder("vigil.prober.publish.failures").description("Probe results Kafka did not acknowledge").register(registry);
        Gauge.builder("vigil.prober.targets", targets, ProbeTargets::size).description("Probed inbounds this prober owns").register(registry);
    }

    /** Both results share one description: Prometheus keeps a single HELP line per metric. */
    private static Counter checks(MeterRegistry registry, String result) {
        return Counter.builder("vigil.prober.checks").tag("result", result).description("Checks run, by result").register(registry);
    }

    void checked(CheckOutcome outcome) {
        (outcome.healthy() ? healthy : unhealthy).increment();
    }

    void refused() {
        refused.increment();
    }

    void publishFailed() {
        publishFailures.increment();
    }
}
