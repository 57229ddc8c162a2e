package io.vigil.ingest.prober;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.CurrentInboundSpec;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.ProbeResult;
import io.vigil.schemas.DataplaneKey;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The probe loop against a real listener on 127.0.0.1, publishing into a recording sink. */
class ProberTest {

    private static final DataplaneKey WEB = new DataplaneKey("default", "web-01");

    private final ProbeTargets targets = new ProbeTargets(Integer.MAX_VALUE);
    private final BlockingQueue<DataplaneEvent> published = new LinkedBlockingQueue<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProberMetrics metrics = new ProberMetrics(registry, targets);
    private final Prober prober = new Prober(targets,
            new ProbeRunner(AllowedNetworks.of(List.of("127.0.0.0/8")), targets, new TcpConnectCheck(), new HttpGetCheck(), metrics),
            events -> {
                published.addAll(events);
                return CompletableFuture.completedFuture(null);
            },
            metrics, Clock.systemUTC(), Duration.ofMillis(10), 4);

    @AfterEach
    void stop() {
        prober.close();
    }

    @Test
    void publishesOneResultPerIntervalWithAnIdAndStopsWhenTheStreamCloses() throws Exception {
        try (ServerSocket workload = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CurrentInboundSpec inbound = Specs.probed(8080, "127.0.0.1", workload.getLocalPort(), new ProbeSettings(100, 1_000, 1, 1, null));
            targets.apply(WEB, Specs.universal(WEB, false, inbound), 0);
            prober.start();
            assertThat(published.poll(300, TimeUnit.MILLISECONDS)).as("nothing is due before the stream connects").isNull();

            targets.apply(WEB, Specs.universal(WEB, true, inbound), 0);
            DataplaneEvent first = published.poll(10, TimeUnit.SECONDS);
            DataplaneEvent second = published.poll(10, TimeUnit.SECONDS);

            assertThat(first.getMesh()).isEqualTo("default");
            assertThat(first.getDataplane()).isEqualTo("web-01");
            assertThat(first.getPayload()).isEqualTo(new ProbeResult(8080, true, "connected"));
            assertThat(first.getId()).isEqualTo("probe:8080:" + first.getTime().toEpochMilli());
            // In order and one interval apart (no upper bound: a loaded machine may start the next check
            // late). Checks are scheduled on the monotonic clock but stamped with the wall clock, which
            // may step by a little between two readings.
            assertThat(Duration.between(first.getTime(), second.getTime())).as("one interval apart")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(95));

            targets.apply(WEB, Specs.universal(WEB, false, inbound), 0);
            published.clear();
            // Unpaused, 500 ms would bring about five results; a check that passed its last test just
            // before the stream closed may still land once.
            List<DataplaneEvent> afterPause = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            for (long left = 500; left > 0; left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())) {
                DataplaneEvent late = published.poll(left, TimeUnit.MILLISECONDS);
                if (late != null) {
                    afterPause.add(late);
                }
            }
            assertThat(afterPause).as("paused").hasSizeLessThanOrEqualTo(1);
            assertThat(registry.counter("vigil.prober.checks", "result", "healthy").count()).isGreaterThanOrEqualTo(2);
        }
    }
}
