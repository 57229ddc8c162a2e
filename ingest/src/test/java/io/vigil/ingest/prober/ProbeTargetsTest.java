package io.vigil.ingest.prober;

import static io.vigil.ingest.prober.Specs.EVERY_SECOND;
import static io.vigil.ingest.prober.Specs.probed;
import static io.vigil.ingest.prober.Specs.spec;
import static io.vigil.ingest.prober.Specs.universal;
import static io.vigil.ingest.prober.Specs.unprobed;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.avro.CurrentDataplaneSpec;
import io.vigil.avro.Environment;
import io.vigil.schemas.DataplaneKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeTargetsTest {

    private static final DataplaneKey WEB = new DataplaneKey("default", "web-01");

    private final ProbeTargets targets = new ProbeTargets(Integer.MAX_VALUE);

    @Test
    void probedUniversalInboundsAreTargetsAtTheirWorkloadAddressAndPort() {
        apply(universal(WEB, true, probed(8080, "127.0.0.1", 18080, EVERY_SECOND), probed(8081, "127.0.0.9", 8081, EVERY_SECOND),
                unprobed(8082)));

        assertThat(targets.takeDue(0)).containsExactlyInAnyOrder(
                new ProbeTarget(WEB, 8080, "127.0.0.1", 18080, EVERY_SECOND),
                new ProbeTarget(WEB, 8081, "127.0.0.9", 8081, EVERY_SECOND));
        assertThat(targets.size()).isEqualTo(2);
    }

    @Test
    void aMeshAtItsCapWaitsForAReleaseWhileOtherMeshesAreChecked() {
        ProbeTargets capped = new ProbeTargets(2);
        DataplaneKey busyA = new DataplaneKey("busy", "a");
        DataplaneKey busyB = new DataplaneKey("busy", "b");
        DataplaneKey quiet = new DataplaneKey("quiet", "q");
        capped.apply(busyA, universal(busyA, true, probed(8080, EVERY_SECOND), probed(8081, EVERY_SECOND)), 0);
        capped.apply(busyB, universal(busyB, true, probed(8080, EVERY_SECOND)), 0);
        capped.apply(quiet, universal(quiet, true, probed(8080, EVERY_SECOND)), 0);

        List<ProbeTarget> first = capped.takeDue(0);
        assertThat(first).filteredOn(t -> t.dataplane().mesh().equals("busy")).hasSize(2);
        assertThat(first).filteredOn(t -> t.dataplane().mesh().equals("quiet")).hasSize(1);
        assertThat(capped.takeDue(0)).as("busy is at its cap, its third check stays due").isEmpty();

        ProbeTarget done = first.stream().filter(t -> t.dataplane().mesh().equals("busy")).findFirst().orElseThrow();
        capped.release(done);
        List<ProbeTarget> next = capped.takeDue(0);
        assertThat(next).singleElement().satisfies(t -> {
            assertThat(t.dataplane().mesh()).isEqualTo("busy");
            assertThat(first).doesNotContain(t);
        });
    }

    @Test
    void aReleaseAfterItsDataplaneLeftStillFreesTheMeshsSlot() {
        ProbeTargets capped = new ProbeTargets(1);
        DataplaneKey gone = new DataplaneKey("m", "gone");
        DataplaneKey stays = new DataplaneKey("m", "stays");
        capped.apply(gone, universal(gone, true, probed(8080, EVERY_SECOND)), 0);
        ProbeTarget running = capped.takeDue(0).get(0);
        capped.apply(gone, null, 0);
        capped.apply(stays, universal(stays, true, probed(8080, EVERY_SECOND)), 0);
        assertThat(capped.takeDue(0)).isEmpty();

        capped.release(running);
        assertThat(capped.takeDue(0)).extracting(ProbeTarget::dataplane).containsExactly(stays);
    }

    @Test
    void kubernetesDataplanesAreNeverProbed() {
        apply(spec(WEB, Environment.KUBERNETES, true, false, probed(8080, EVERY_SECOND)));
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
    void nothingIsProbedWhileNotConnected() {
        apply(universal(WEB, false, probed(8080, EVERY_SECOND)));
        assertThat(targets.takeDue(0)).isEmpty();
        assertThat(targets.size()).as("known, paused").isEqualTo(1);
    }

    @Test
    void disconnectingOrDrainingPausesAndResumingMakesItDueAtOnce() {
        connectedWebWithOneProbe(EVERY_SECOND);
        ProbeTarget target = targets.takeDue(0).get(0);
        apply(universal(WEB, false, probed(8080, EVERY_SECOND)));
        assertThat(targets.current(target)).as("a result after the stream closed is not published").isFalse();
        targets.release(target);
        assertThat(targets.takeDue(5_000)).isEmpty();

        apply(universal(WEB, true, probed(8080, EVERY_SECOND)));
        assertThat(targets.takeDue(500)).as("due at once on resume, whatever the old schedule").containsExactly(target);
        targets.release(target);

        apply(spec(WEB, Environment.UNIVERSAL, true, true, probed(8080, EVERY_SECOND)));
        assertThat(targets.takeDue(10_000)).as("draining").isEmpty();
        apply(universal(WEB, true, probed(8080, EVERY_SECOND)));
        assertThat(targets.takeDue(10_000)).containsExactly(target);
    }

    @Test
    void aTombstoneForgetsTheDataplaneAndItsRunningCheck() {
        connectedWebWithOneProbe(EVERY_SECOND);
        ProbeTarget target = targets.takeDue(0).get(0);
        apply(null);
        assertThat(targets.current(target)).isFalse();
        assertThat(targets.size()).isZero();
        assertThat(targets.takeDue(100_000)).isEmpty();
        targets.release(target);
        assertThat(targets.firstRefusal(target)).isFalse();
    }

    @Test
    void aNewSpecKeepsTheScheduleOfUnchangedTargetsAndRestartsChangedOnes() {
        connectedWebWithOneProbe(EVERY_SECOND);
        ProbeTarget unchanged = targets.takeDue(0).get(0);
        targets.release(unchanged);
        apply(universal(WEB, true, probed(8080, EVERY_SECOND), unprobed(8082)));
        assertThat(targets.takeDue(500)).as("same target: still due at 1000").isEmpty();

        ProbeSettings faster = new ProbeSettings(200, 100, 1, 2, "/healthz");
        apply(universal(WEB, true, probed(8080, faster)));
        assertThat(targets.current(unchanged)).as("the old target is gone").isFalse();
        assertThat(targets.takeDue(500)).containsExactly(new ProbeTarget(WEB, 8080, "127.0.0.1", 8080, faster));

        apply(universal(WEB, true, unprobed(8080)));
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
        apply(universal(WEB, true, probed(8080, settings)));
    }

    private void apply(CurrentDataplaneSpec spec) {
        targets.apply(WEB, spec, 3);
    }
}
