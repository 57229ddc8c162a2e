package io.vigil.aggregator.core;

import static io.vigil.aggregator.core.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** SPEC section 2, one test per row of the table and per rule below it. */
class InboundHealthRulesTest {

    private final World world = new World();

    @Test
    @DisplayName("no health section and no serviceProbe (Universal): ready")
    void noHealthSectionNoProbeIsReady() {
        world.send("web", universal(inbound(8080, "backend")));
        assertThat(world.ready("web", 8080)).isTrue();
    }

    @Test
    @DisplayName("health.ready given, no serviceProbe: that value")
    void healthReadyGivenIsThatValue() {
        world.send("web", universal(withHealth(8080, "backend", false), withHealth(8081, "admin", true)));
        assertThat(world.ready("web", 8080)).isFalse();
        assertThat(world.ready("web", 8081)).isTrue();
    }

    @Test
    @DisplayName("health.ready given: until an inbound-health event changes it")
    void inboundHealthEventChangesUnprobedInbound() {
        world.send("web", universal(withHealth(8080, "backend", false)));
        world.send("web", inboundHealth(8080, true));
        assertThat(world.ready("web", 8080)).isTrue();
        world.send("web", inboundHealth(8080, false));
        assertThat(world.ready("web", 8080)).isFalse();
    }

    @Test
    @DisplayName("inbound-health is ignored for probed inbounds")
    void inboundHealthIgnoredForProbedInbound() {
        world.send("web", universal(probed(8080, "backend", 1, 1)));
        world.send("web", inboundHealth(8080, true));
        assertThat(world.ready("web", 8080)).isFalse();
    }

    @Test
    @DisplayName("inbound-health is ignored on Kubernetes")
    void inboundHealthIgnoredOnKubernetes() {
        world.send("web", kubernetes(inbound(8080, "backend")));
        world.send("web", pod(true, container("app", false, 8080)));
        world.send("web", inboundHealth(8080, true));
        assertThat(world.ready("web", 8080)).isFalse();
    }

    @Test
    @DisplayName("serviceProbe set, before any probe result: not ready (fail-closed)")
    void probedInboundStartsNotReady() {
        world.send("web", universal(probed(8080, "backend", 1, 1)));
        assertThat(world.ready("web", 8080)).isFalse();
        assertThat(world.proxy("web").inbounds().get(0).reason()).isEqualTo("no probe result yet");
    }

    @Test
    @DisplayName("serviceProbe set, health.ready true in the spec: still fail-closed")
    void probedInboundIgnoresHealthSection() {
        world.send("web", universal(probedWithHealth(8080, "backend", true)));
        assertThat(world.ready("web", 8080)).isFalse();
    }

    @Nested
    @DisplayName("serviceProbe set: thresholds")
    class Thresholds {

        @Test
        @DisplayName("ready after healthyThreshold consecutive successes")
        void readyAfterHealthyThreshold() {
            world.send("web", universal(probed(8080, "backend", 3, 1)));
            world.send("web", healthy(8080));
            world.send("web", healthy(8080));
            assertThat(world.ready("web", 8080)).isFalse();
            world.send("web", healthy(8080));
            assertThat(world.ready("web", 8080)).isTrue();
        }

        @Test
        @DisplayName("not ready after unhealthyThreshold consecutive failures")
        void notReadyAfterUnhealthyThreshold() {
            world.send("web", universal(probed(8080, "backend", 1, 3)));
            world.send("web", healthy(8080));
            world.send("web", failed(8080));
            world.send("web", failed(8080));
            assertThat(world.ready("web", 8080)).isTrue();
            world.send("web", failed(8080));
            assertThat(world.ready("web", 8080)).isFalse();
            assertThat(world.proxy("web").inbounds().get(0).reason())
                    .isEqualTo("3 consecutive probe failures (connection refused)");
        }

        @Test
        @DisplayName("a result of the other kind resets the counter")
        void counterResetsOnOtherKind() {
            world.send("web", universal(probed(8080, "backend", 1, 2)));
            world.send("web", healthy(8080));
            world.send("web", failed(8080));
            world.send("web", healthy(8080));
            world.send("web", failed(8080));
            assertThat(world.ready("web", 8080)).isTrue();
            world.send("web", failed(8080));
            assertThat(world.ready("web", 8080)).isFalse();
        }

        @Test
        @DisplayName("otherwise unchanged")
        void unchangedBetweenThresholds() {
            world.send("web", universal(probed(8080, "backend", 2, 2)));
            world.send("web", healthy(8080));
            world.send("web", healthy(8080));
            int before = world.changes().size();
            world.send("web", healthy(8080));
            world.send("web", failed(8080));
            world.send("web", healthy(8080));
            assertThat(world.ready("web", 8080)).isTrue();
            assertThat(world.changes()).hasSize(before);
        }

        @Test
        @DisplayName("defaults: both thresholds 1")
        void defaultThresholdsAreOne() {
            InboundSpec defaults = new InboundSpec(8080, null, null, "backend", null,
                    ProbeDefaults.KUMA.resolve(null, null, null, null, null));
            world.send("web", universal(defaults));
            world.send("web", healthy(8080));
            assertThat(world.ready("web", 8080)).isTrue();
            world.send("web", failed(8080));
            assertThat(world.ready("web", 8080)).isFalse();
        }

        @Test
        @DisplayName("probe results count on Universal only")
        void probeResultsIgnoredOnKubernetes() {
            InboundSpec probedOnK8s = probed(8080, "backend", 1, 1);
            world.send("web", kubernetes(probedOnK8s));
            world.send("web", pod(true, container("app", true, 8080)));
            world.send("web", failed(8080));
            assertThat(world.ready("web", 8080)).isTrue();
        }

        @Test
        @DisplayName("a probe result for an inbound that does not exist is ignored")
        void probeResultForUnknownPortIgnored() {
            world.send("web", universal(probed(8080, "backend", 1, 1)));
            assertThat(world.send("web", healthy(9999))).isEmpty();
            assertThat(world.ready("web", 8080)).isFalse();
        }
    }

    @Nested
    @DisplayName("dataplane is draining")
    class Draining {

        @Test
        @DisplayName("not ready for every inbound, probed or not")
        void drainingMakesEveryInboundNotReady() {
            world.send("web", universal(probed(8080, "backend", 1, 1), inbound(8081, "metrics")));
            world.send("web", connected("cp-1"));
            world.send("web", healthy(8080));
            world.send("web", draining());
            assertThat(world.ready("web", 8080)).isFalse();
            assertThat(world.ready("web", 8081)).isFalse();
            assertThat(world.proxy("web").reasons()).contains("inbound[port=8081, service=metrics] not ready: dataplane is draining");
        }

        @Test
        @DisplayName("until a new stream-connected")
        void newStreamEndsDrain() {
            world.send("web", universal(inbound(8080, "backend")));
            world.send("web", connected("cp-1"));
            world.send("web", draining());
            world.send("web", healthy(8080));
            assertThat(world.ready("web", 8080)).isFalse();
            world.send("web", connected("cp-1"));
            assertThat(world.ready("web", 8080)).isTrue();
        }

        @Test
        @DisplayName("on Kubernetes too")
        void drainingOnKubernetes() {
            world.send("web", kubernetes(inbound(8080, "backend")));
            world.send("web", pod(true, container("app", true, 8080)));
            world.send("web", draining());
            assertThat(world.ready("web", 8080)).isFalse();
        }
    }

    @Nested
    @DisplayName("Kubernetes")
    class Kubernetes {

        @Test
        @DisplayName("no pod-readiness seen yet: not ready")
        void noPodReadinessYet() {
            world.send("web", kubernetes(inbound(8080, "backend")));
            assertThat(world.ready("web", 8080)).isFalse();
        }

        @Test
        @DisplayName("pod terminating: not ready")
        void podTerminating() {
            world.send("web", kubernetes(inbound(8080, "backend")));
            world.send("web", terminatingPod(container("app", true, 8080)));
            assertThat(world.ready("web", 8080)).isFalse();
            assertThat(world.proxy("web").inbounds().get(0).reason()).isEqualTo("pod is terminating");
        }

        @Test
        @DisplayName("sidecarReady false: not ready for every inbound")
        void sidecarNotReady() {
            world.send("web", kubernetes(inbound(8080, "backend"), inbound(9090, "metrics")));
            world.send("web", pod(false, container("app", true, 8080), container("exporter", true, 9090)));
            assertThat(world.ready("web", 8080)).isFalse();
            assertThat(world.ready("web", 9090)).isFalse();
        }

        @Test
        @DisplayName("sidecar ready: the ready of the container that lists the workload port")
        void containerOwningPortDecides() {
            world.send("web", kubernetes(inbound(8080, "backend"), inbound(9090, "metrics")));
            world.send("web", pod(true, container("app", true, 8080), container("exporter", false, 9090)));
            assertThat(world.ready("web", 8080)).isTrue();
            assertThat(world.ready("web", 9090)).isFalse();
        }

        @Test
        @DisplayName("sidecar ready: the workload port is servicePort when set")
        void containerOwningServicePortDecides() {
            world.send("web", kubernetes(withServicePort(8080, 5000, "backend")));
            world.send("web", pod(true, container("app", true, 5000), container("other", false, 8080)));
            assertThat(world.ready("web", 8080)).isTrue();
        }

        @Test
        @DisplayName("no container lists the port: ready only when every container is ready")
        void undeclaredPortNeedsEveryContainerReady() {
            world.send("web", kubernetes(inbound(7070, "backend")));
            world.send("web", pod(true, container("app", true, 8080), container("sidecar-helper", false)));
            assertThat(world.ready("web", 7070)).isFalse();
            assertThat(world.proxy("web").inbounds().get(0).reason())
                    .isEqualTo("no container declares port 7070 and container sidecar-helper is not ready");
            world.send("web", pod(true, container("app", true, 8080), container("sidecar-helper", true)));
            assertThat(world.ready("web", 7070)).isTrue();
        }

        @Test
        @DisplayName("spec health does not count on Kubernetes")
        void specHealthIgnoredOnKubernetes() {
            world.send("web", kubernetes(withHealth(8080, "backend", false)));
            world.send("web", pod(true, container("app", true, 8080)));
            assertThat(world.ready("web", 8080)).isTrue();
        }
    }

    @Test
    @DisplayName("stream disconnected: health unchanged")
    void disconnectKeepsHealth() {
        world.send("web", universal(probed(8080, "backend", 1, 1), withHealth(8081, "admin", false)));
        world.send("web", connected("cp-1"));
        world.send("web", healthy(8080));
        world.send("web", disconnected("cp-1"));
        assertThat(world.ready("web", 8080)).isTrue();
        assertThat(world.ready("web", 8081)).isFalse();
        assertThat(world.service("backend").endpoints()).extracting(Endpoint::port).containsExactly(8080);
    }

    @Nested
    @DisplayName("upserts")
    class Upserts {

        @Test
        @DisplayName("keeping an inbound and its probe settings keeps its health and counters")
        void sameProbeSettingsKeepHealthAndCounters() {
            world.send("web", universal(probed(8080, "backend", 2, 2)));
            world.send("web", healthy(8080));
            world.send("web", healthy(8080));
            world.send("web", failed(8080));
            world.send("web", universal(probed(8080, "backend", 2, 2), inbound(8081, "admin")));
            assertThat(world.ready("web", 8080)).isTrue();
            world.send("web", failed(8080));
            assertThat(world.ready("web", 8080)).as("the failure counter survived the upsert").isFalse();
        }

        @Test
        @DisplayName("settings equal after defaults count as unchanged")
        void defaultsMakeSettingsEqual() {
            InboundSpec implicit = new InboundSpec(8080, null, null, "backend", null,
                    ProbeDefaults.KUMA.resolve(null, null, null, null, null));
            InboundSpec explicit = new InboundSpec(8080, null, null, "backend", null,
                    ProbeDefaults.KUMA.resolve(1000L, 2000L, 1, 1, null));
            world.send("web", universal(implicit));
            world.send("web", healthy(8080));
            world.send("web", universal(explicit));
            assertThat(world.ready("web", 8080)).isTrue();
        }

        @Test
        @DisplayName("changed probe settings start not ready")
        void changedProbeSettingsStartNotReady() {
            world.send("web", universal(probed(8080, "backend", 1, 1)));
            world.send("web", healthy(8080));
            world.send("web", universal(probed(8080, "backend", 2, 1)));
            assertThat(world.ready("web", 8080)).isFalse();
            world.send("web", healthy(8080));
            assertThat(world.ready("web", 8080)).as("counters restarted").isFalse();
        }

        @Test
        @DisplayName("a new probed inbound starts not ready")
        void newProbedInboundStartsNotReady() {
            world.send("web", universal(inbound(8080, "backend")));
            world.send("web", universal(inbound(8080, "backend"), probed(8081, "admin", 1, 1)));
            assertThat(world.ready("web", 8080)).isTrue();
            assertThat(world.ready("web", 8081)).isFalse();
        }

        @Test
        @DisplayName("adding a probe to an unprobed inbound starts it not ready")
        void probeAddedStartsNotReady() {
            world.send("web", universal(inbound(8080, "backend")));
            world.send("web", universal(probed(8080, "backend", 1, 1)));
            assertThat(world.ready("web", 8080)).isFalse();
        }

        @Test
        @DisplayName("a removed inbound disappears")
        void removedInboundDisappears() {
            world.send("web", universal(inbound(8080, "backend"), inbound(8081, "admin")));
            world.send("web", universal(inbound(8080, "backend")));
            assertThat(world.proxy("web").inbounds()).extracting(InboundView::port).containsExactly(8080);
            assertThat(world.service("admin")).isNull();
        }

        @Test
        @DisplayName("unprobed: a health section in the upsert sets the value")
        void healthSectionSetsValue() {
            world.send("web", universal(inbound(8080, "backend")));
            world.send("web", inboundHealth(8080, true));
            world.send("web", universal(withHealth(8080, "backend", false)));
            assertThat(world.ready("web", 8080)).isFalse();
        }

        @Test
        @DisplayName("unprobed: an upsert that omits health keeps the current value")
        void omittedHealthKeepsCustomValue() {
            world.send("web", universal(inbound(8080, "backend")));
            world.send("web", inboundHealth(8080, false));
            world.send("web", universal(inbound(8080, "backend"), inbound(8081, "admin")));
            assertThat(world.ready("web", 8080)).isFalse();
        }
    }
}
