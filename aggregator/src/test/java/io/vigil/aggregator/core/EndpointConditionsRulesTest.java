package io.vigil.aggregator.core;

import static io.vigil.aggregator.core.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An inbound's {@code serving} and {@code terminating}, as Kubernetes EndpointSlice conditions:
 * terminating when its pod terminates or its dataplane drains; serving when ready, or when
 * terminating but otherwise ready. {@code ready} itself follows SPEC section 2 unchanged.
 */
class EndpointConditionsRulesTest {

    private final World world = new World();

    private InboundView view(String dataplane, int port) {
        return world.proxy(dataplane).inbounds().stream().filter(i -> i.port() == port).findFirst().orElseThrow();
    }

    @Test
    @DisplayName("a ready inbound is serving and not terminating")
    void readyIsServing() {
        world.send("web", universal(inbound(8080, "backend")));
        world.send("web", connected("cp-1"));
        InboundView view = view("web", 8080);
        assertThat(view.ready()).isTrue();
        assertThat(view.serving()).isTrue();
        assertThat(view.terminating()).isFalse();
    }

    @Test
    @DisplayName("not ready and not terminating: not serving")
    void notReadyIsNotServing() {
        world.send("web", universal(withHealth(8080, "backend", false)));
        InboundView view = view("web", 8080);
        assertThat(view.serving()).isFalse();
        assertThat(view.terminating()).isFalse();
    }

    @Test
    @DisplayName("Kubernetes: a terminating pod whose containers are ready is terminating and serving, not ready")
    void terminatingPodWithReadyContainersIsServing() {
        world.send("web", kubernetes(inbound(8080, "backend")));
        world.send("web", terminatingPod(container("app", true, 8080)));
        InboundView view = view("web", 8080);
        assertThat(view.ready()).isFalse();
        assertThat(view.reason()).isEqualTo("pod is terminating");
        assertThat(view.terminating()).isTrue();
        assertThat(view.serving()).isTrue();
    }

    @Test
    @DisplayName("Kubernetes: a terminating pod whose port's container is not ready is terminating and not serving")
    void terminatingPodWithUnreadyContainerIsNotServing() {
        world.send("web", kubernetes(inbound(8080, "backend")));
        world.send("web", terminatingPod(container("app", false, 8080), container("other", true, 9090)));
        InboundView view = view("web", 8080);
        assertThat(view.terminating()).isTrue();
        assertThat(view.serving()).isFalse();
    }

    @Test
    @DisplayName("draining sets terminating; serving follows the inbound's own health; a new stream clears it")
    void drainingIsTerminating() {
        world.send("web", universal(inbound(8080, "backend"), withHealth(8081, "admin", false)));
        world.send("web", connected("cp-1"));
        world.send("web", draining());
        assertThat(view("web", 8080).ready()).isFalse();
        assertThat(view("web", 8080).terminating()).isTrue();
        assertThat(view("web", 8080).serving()).isTrue();
        assertThat(view("web", 8081).terminating()).isTrue();
        assertThat(view("web", 8081).serving()).isFalse();

        world.send("web", connected("cp-2"));
        assertThat(view("web", 8080).terminating()).isFalse();
        assertThat(view("web", 8080).ready()).isTrue();
    }

    @Test
    @DisplayName("Universal: a pod-readiness fact does not make an inbound terminating")
    void podFactsCountOnKubernetesOnly() {
        world.send("web", universal(inbound(8080, "backend")));
        world.send("web", terminatingPod(container("app", true, 8080)));
        assertThat(view("web", 8080).terminating()).isFalse();
        assertThat(view("web", 8080).ready()).isTrue();
    }

    @Test
    @DisplayName("while terminating, serving turning false is an inbound change, though ready stays false")
    void servingFlipIsAChange() {
        world.send("web", kubernetes(inbound(8080, "backend")));
        world.send("web", connected("cp-1"));
        world.send("web", terminatingPod(container("app", true, 8080)));

        List<HealthChange> caused = world.send("web", terminatingPod(container("app", false, 8080)));

        assertThat(caused).filteredOn(InboundChange.class::isInstance).map(InboundChange.class::cast)
                .singleElement().satisfies(change -> {
                    assertThat(change.previousReady()).isFalse();
                    assertThat(change.state().ready()).isFalse();
                    assertThat(change.state().serving()).isFalse();
                });
        assertThat(view("web", 8080).serving()).isFalse();
    }
}
