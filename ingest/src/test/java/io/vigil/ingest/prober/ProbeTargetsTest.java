package io.vigil.ingest.prober;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.aggregator.core.DataplaneDeleted;
import io.vigil.aggregator.core.DataplaneDraining;
import io.vigil.aggregator.core.DataplaneSpec;
import io.vigil.aggregator.core.DataplaneUpserted;
import io.vigil.aggregator.core.Environment;
import io.vigil.aggregator.core.Event;
import io.vigil.aggregator.core.EventPayload;
import io.vigil.aggregator.core.InboundSpec;
import io.vigil.aggregator.core.ProbeSettings;
import io.vigil.aggregator.core.StreamConnected;
import io.vigil.aggregator.core.StreamDisconnected;
import io.vigil.schemas.DataplaneKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeTargetsTest {

    private static final DataplaneKey WEB = new DataplaneKey("default", "web-01");
    private static final ProbeSettings EVERY_SECOND = new ProbeSettings(1_000, 2_000, 1, 1, null);

    private final ProbeTargets targets = new ProbeTargets();

    @Test
    void probedUniversalInboundsAreTargetsAtTheirWorkloadAddressAndPort() {
        apply(upsert(Environment.UNIVERSAL, List.of(
                new InboundSpec(8080, 18080, null, "web", null, EVERY_SECOND),
                new InboundSpec(8081, null, "127.0.0.9", "admin", null, EVERY_SECOND),
                new InboundSpec(8082, null, null, "metrics", true, null))));
        apply(connected("cp-1", "s1"));

        assertThat(targets.takeDue(0)).containsExactlyInAnyOrder(
                new ProbeTarget(WEB, 8080, "127.0.0.1", 18080, EVERY_SECOND),
                new ProbeTarget(WEB, 8081, "127.0.0.9", 8081, EVERY_SECOND));
        assertThat(targets.size()).isEqualTo(2);
    }

    @Test
    void kubernetesDataplanesAreNeverProbed() {
        apply(upsert(Environment.KUBERNETES, List.of(new InboundSpec(8080, null, null, "web", null, EVERY_SECOND))));
        apply(connected("cp-1", null));
        assertThat(targets.takeDue(0)).isEmpty();
        assertThat(targets.size()).isZero();
    }

    @Test
    void aCheckIsDueOncePerIntervalAndNeverTwiceAtOnce() {
        connectedWebWithOneProbe(EVERY_SECOND);
        ProbeTarget target = targets.takeDue(10_000).get(0);

        assertThat(targets.takeDue(12_000)).as("still running").isEmpty();
        assertThat(targets.current(target)).isTrue();
        targets.release(target);
        assertThat(targets.takeDue(10_999)).as("before the interval passed").isEmpty();
        assertThat(targets.takeDue(11_000)).containsExactly(target);
    }

    @Test
    void nothingIsProbedBeforeTheStreamConnects() {
        apply(upsert(Environment.UNIVERSAL, List.of(new InboundSpec(8080, null, null, "web", null, EVERY_SECOND))));
        assertThat(targets.takeDue(0)).isEmpty();
    }

    @Test
    void aConnectionSeenBeforeTheResourceCountsOnceItArrives() {
        apply(connected("cp-1", null));
        apply(upsert(Environment.UNIVERSAL, List.of(new InboundSpec(8080, null, null, "web", null, EVERY_SECOND))));
        assertThat(targets.takeDue(0)).hasSize(1);
    }

    @Test
    void disconnectingOrDrainingPausesAndANewStreamResumesAtOnce() {
        connectedWebWithOneProbe(EVERY_SECOND);
        ProbeTarget target = targets.takeDue(0).get(0);
        apply(new StreamDisconnected("cp-1", "s1"));
        assertThat(targets.current(target)).as("a result after the stream closed is not published").isFalse();
        targets.release(target);
        assertThat(targets.takeDue(5_000)).isEmpty();

        apply(connected("cp-1", "s2"));
        assertThat(targets.takeDue(500)).as("due at once on resume, whatever the old schedule").containsExactly(target);
        targets.release(target);

        apply(new DataplaneDraining());
        assertThat(targets.takeDue(10_000)).isEmpty();
        apply(connected("cp-2", "s3"));
        assertThat(targets.takeDue(10_000)).containsExactly(target);
    }

    @Test
    void aStaleDisconnectOfAnOlderStreamDoesNotPause() {
        connectedWebWithOneProbe(EVERY_SECOND);
        apply(connected("cp-2", "s2"));
        apply(new StreamDisconnected("cp-1", "s1"));
        assertThat(targets.takeDue(0)).hasSize(1);
    }

    @Test
    void deletingForgetsTheDataplaneAndItsRunningCheck() {
        connectedWebWithOneProbe(EVERY_SECOND);
        ProbeTarget target = targets.takeDue(0).get(0);
        apply(new DataplaneDeleted());
        assertThat(targets.current(target)).isFalse();
        assertThat(targets.size()).isZero();
        apply(upsert(Environment.UNIVERSAL, List.of(new InboundSpec(8080, null, null, "web", null, EVERY_SECOND))));
        assertThat(targets.takeDue(100_000)).as("the connection was forgotten too").isEmpty();
    }

    @Test
    void anUpsertKeepsTheScheduleOfUnchangedTargetsAndRestartsChangedOnes() {
        connectedWebWithOneProbe(EVERY_SECOND);
        ProbeTarget unchanged = targets.takeDue(0).get(0);
        targets.release(unchanged);
        apply(upsert(Environment.UNIVERSAL, List.of(new InboundSpec(8080, null, null, "web", null, EVERY_SECOND))));
        assertThat(targets.takeDue(500)).as("same settings: still due at 1000").isEmpty();

        ProbeSettings faster = new ProbeSettings(200, 100, 1, 2, "/healthz");
        apply(upsert(Environment.UNIVERSAL, List.of(new InboundSpec(8080, null, null, "web", null, faster))));
        assertThat(targets.current(unchanged)).as("the old target is gone").isFalse();
        assertThat(targets.takeDue(500)).containsExactly(new ProbeTarget(WEB, 8080, "127.0.0.1", 8080, faster));

        apply(upsert(Environment.UNIVERSAL, List.of(new InboundSpec(8080, null, null, "web", null, null))));
        assertThat(targets.size()).as("the probe was removed from the spec").isZero();
    }

    @Test
    void aRestoringPartitionIsNotProbedAndARevokedOneIsForgotten() {
        targets.restoring(3);
        connectedWebWithOneProbe(EVERY_SECOND);
        assertThat(targets.takeDue(0)).isEmpty();
        targets.restored(3);
        ProbeTarget target = targets.takeDue(0).get(0);

        targets.drop(3);
        assertThat(targets.current(target)).isFalse();
        assertThat(targets.size()).isZero();
        assertThat(targets.takeDue(100_000)).isEmpty();
    }

    @Test
    void aRefusalIsReportedOncePerTarget() {
        connectedWebWithOneProbe(EVERY_SECOND);
        ProbeTarget target = targets.takeDue(0).get(0);
        assertThat(targets.firstRefusal(target)).isTrue();
        assertThat(targets.firstRefusal(target)).isFalse();
    }

    private void connectedWebWithOneProbe(ProbeSettings settings) {
        apply(upsert(Environment.UNIVERSAL, List.of(new InboundSpec(8080, null, null, "web", null, settings))));
        apply(connected("cp-1", "s1"));
    }

    private void apply(EventPayload payload) {
        targets.apply(new Event(WEB, Instant.parse("2026-11-26T10:00:00Z"), null, payload, null), 3);
    }

    private static DataplaneUpserted upsert(Environment environment, List<InboundSpec> inbounds) {
        return new DataplaneUpserted(environment, new DataplaneSpec("127.0.0.1", inbounds, null));
    }

    private static StreamConnected connected(String instance, String stream) {
        return new StreamConnected(instance, stream);
    }
}
