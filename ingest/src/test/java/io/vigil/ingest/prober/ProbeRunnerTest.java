package io.vigil.ingest.prober;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.schemas.DataplaneKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class ProbeRunnerTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProbeTargets targets = new ProbeTargets(Integer.MAX_VALUE);
    private final ProberMetrics metrics = new ProberMetrics(registry, targets);
    private final List<InetSocketAddress> connects = new CopyOnWriteArrayList<>();
    private final WorkloadCheck recording = (workload, target) -> {
        connects.add(workload);
        return Mono.just(CheckOutcome.healthy("recorded"));
    };
    private final ProbeRunner runner = new ProbeRunner(AllowedNetworks.of(List.of("127.0.0.0/8", "::1/128")), targets,
            recording, recording, metrics);

    @Test
    void aTargetOutsideTheAllowedNetworksIsNeverConnectedToAndCountedOnce() {
        ProbeTarget outside = knownTarget("10.1.2.3", null);

        assertThat(runner.run(outside).blockOptional(Duration.ofSeconds(5))).isEmpty();
        assertThat(runner.run(outside).blockOptional(Duration.ofSeconds(5))).isEmpty();

        assertThat(connects).isEmpty();
        assertThat(registry.counter("vigil.prober.refused.targets").count()).isEqualTo(1);
        assertThat(registry.counter("vigil.prober.checks", "result", "healthy").count()).isZero();
    }

    @Test
    void aTargetInsideIsCheckedAtItsWorkloadPortByTheKindItAsksFor() {
        ProbeTarget inside = knownTarget("127.0.0.5", "/healthz");
        assertThat(runner.run(inside).block(Duration.ofSeconds(5))).isEqualTo(CheckOutcome.healthy("recorded"));
        assertThat(connects).containsExactly(new InetSocketAddress("127.0.0.5", 18080));
        assertThat(registry.counter("vigil.prober.checks", "result", "healthy").count()).isEqualTo(1);
        assertThat(registry.counter("vigil.prober.refused.targets").count()).isZero();
    }

    @Test
    void aCheckThatOutlivesItsTimeoutIsUnhealthy() {
        ProbeTarget target = new ProbeTarget(new DataplaneKey("default", "slow"), 8080, "127.0.0.1", 8080,
                new ProbeSettings(1_000, 150, 1, 1, null));
        ProbeRunner hanging = new ProbeRunner(AllowedNetworks.of(List.of("127.0.0.0/8")), targets,
                (workload, t) -> Mono.never(), (workload, t) -> Mono.never(), metrics);
        assertThat(hanging.run(target).block(Duration.ofSeconds(5))).isEqualTo(CheckOutcome.unhealthy("timeout after 150ms"));
        assertThat(registry.counter("vigil.prober.checks", "result", "unhealthy").count()).isEqualTo(1);
    }

    @Test
    void aHostThatDoesNotResolveInTimeIsUnhealthyWithinTheTimeoutSayingSo() {
        CompletableFuture<InetAddress[]> answer = new CompletableFuture<>();
        ProbeRunner slowDns = new ProbeRunner(AllowedNetworks.of(List.of("127.0.0.0/8")), targets, recording, recording, metrics,
                host -> answer.join());
        ProbeTarget target = new ProbeTarget(new DataplaneKey("default", "slow-dns"), 8080, "slow.example", 8080,
                new ProbeSettings(1_000, 150, 1, 1, null));
        try {
            assertThat(slowDns.run(target).block(Duration.ofSeconds(5)))
                    .isEqualTo(CheckOutcome.unhealthy("timeout after 150ms resolving slow.example"));
        } finally {
            answer.complete(new InetAddress[] {InetAddress.getLoopbackAddress()});
        }
        assertThat(connects).isEmpty();
    }

    @Test
    void aHostThatDoesNotResolveIsUnhealthyWithItsReason() {
        ProbeRunner noDns = new ProbeRunner(AllowedNetworks.of(List.of("127.0.0.0/8")), targets, recording, recording, metrics,
                host -> {
                    throw new UnknownHostException(host);
                });
        ProbeTarget target = new ProbeTarget(new DataplaneKey("default", "nowhere"), 8080, "nowhere.example", 8080,
                new ProbeSettings(1_000, 500, 1, 1, null));
        assertThat(noDns.run(target).block(Duration.ofSeconds(5))).isEqualTo(CheckOutcome.unhealthy("cannot resolve nowhere.example"));
        assertThat(registry.counter("vigil.prober.checks", "result", "unhealthy").count()).isEqualTo(1);
    }

    /** A target the bookkeeping knows, as the probe loop hands them over. */
    private ProbeTarget knownTarget(String address, String httpPath) {
        DataplaneKey key = new DataplaneKey("default", "web-01");
        ProbeSettings settings = new ProbeSettings(1_000, 2_000, 1, 1, httpPath);
        targets.apply(key, Specs.universal(key, true, Specs.probed(8080, address, 18080, settings)), 0);
        return targets.takeDue(0).get(0);
    }
}
