package io.vigil.aggregator.core;

import static io.vigil.aggregator.core.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A dataplane's {@code since} (the event time of the change at which the current status began)
 * and {@code connectedSince}, and a service's {@code since} (the newest of its members'): event
 * times only, and never a change on their own.
 */
class SinceRulesTest {

    private final World world = new World();

    private static List<ProxyChange> proxyChanges(List<HealthChange> changes) {
        return changes.stream().filter(ProxyChange.class::isInstance).map(ProxyChange.class::cast).toList();
    }

    private static List<ServiceChange> serviceChanges(List<HealthChange> changes) {
        return changes.stream().filter(ServiceChange.class::isInstance).map(ServiceChange.class::cast).toList();
    }

    @Test
    @DisplayName("a dataplane going offline at T1 has since T1; connectedSince is set on connect and cleared on disconnect")
    void offlineAtT1HasSinceT1() {
        world.send("web", universal(inbound(8080, "backend")));
        Instant upserted = world.now();
        assertThat(world.proxy("web").since()).isEqualTo(upserted);
        assertThat(world.proxy("web").connectedSince()).isNull();

        world.send("web", connected("cp-1"));
        Instant connectedAt = world.now();
        assertThat(world.proxy("web").status()).isEqualTo(HealthStatus.ONLINE);
        assertThat(world.proxy("web").since()).isEqualTo(connectedAt);
        assertThat(world.proxy("web").connectedSince()).isEqualTo(connectedAt);

        world.send("web", disconnected("cp-1"));
        Instant t1 = world.now();
        assertThat(world.proxy("web").status()).isEqualTo(HealthStatus.OFFLINE);
        assertThat(world.proxy("web").since()).isEqualTo(t1);
        assertThat(world.proxy("web").connectedSince()).isNull();
    }

    @Test
    @DisplayName("a change that keeps the status keeps since")
    void sameStatusKeepsSince() {
        world.send("web", universal(probed(8080, "backend", 1, 3), inbound(8081, "admin")));
        world.send("web", connected("cp-1"));
        Instant degraded = world.now();
        assertThat(world.proxy("web").status()).isEqualTo(HealthStatus.PARTIALLY_DEGRADED);

        List<ProxyChange> caused = proxyChanges(world.send("web", failed(8080)));

        assertThat(caused).as("the reason changed, so the proxy changed").hasSize(1);
        assertThat(caused.get(0).state().status()).isEqualTo(HealthStatus.PARTIALLY_DEGRADED);
        assertThat(caused.get(0).state().since()).isEqualTo(degraded);
    }

    @Test
    @DisplayName("connected before the upsert: connectedSince is the stream-connected's time, since the upsert's")
    void connectedBeforeTheUpsert() {
        world.send("web", connected("cp-1"));
        Instant connectedAt = world.now();
        world.send("web", universal(inbound(8080, "backend")));
        assertThat(world.proxy("web").connectedSince()).isEqualTo(connectedAt);
        assertThat(world.proxy("web").since()).isEqualTo(world.now());
    }

    @Test
    @DisplayName("a stream replacing an open one keeps connectedSince and changes nothing")
    void replacingStreamKeepsConnectedSince() {
        world.send("web", universal(inbound(8080, "backend")));
        world.send("web", connected("cp-1"));
        Instant connectedAt = world.now();

        assertThat(proxyChanges(world.send("web", connected("cp-2")))).isEmpty();
        assertThat(world.proxy("web").connectedSince()).isEqualTo(connectedAt);
    }

    @Test
    @DisplayName("a service's since is the newest time one of its members joined it or changed status")
    void serviceSinceIsItsNewestMembersSince() {
        world.send("a", universal(inbound(8080, "backend")));
        Instant aJoined = world.now();
        world.send("a", connected("cp-1"));
        Instant online = world.now();
        assertThat(world.service("backend").status()).isEqualTo(HealthStatus.ONLINE);
        assertThat(world.service("backend").since()).isEqualTo(online);

        world.send("a", inboundHealth(8080, true));
        assertThat(world.service("backend").since()).as("a report that changes nothing").isEqualTo(online);

        world.send("b", universal(inbound(8080, "backend")));
        Instant bJoined = world.now();
        assertThat(world.service("backend").status()).isEqualTo(HealthStatus.PARTIALLY_DEGRADED);
        assertThat(world.service("backend").since()).isEqualTo(bJoined);

        world.send("b", deleted());
        assertThat(world.service("backend").status()).isEqualTo(HealthStatus.ONLINE);
        assertThat(world.service("backend").since()).as("a member that left does not count").isEqualTo(online)
                .isAfter(aJoined);
    }
}
