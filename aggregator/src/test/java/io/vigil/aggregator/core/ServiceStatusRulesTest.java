package io.vigil.aggregator.core;

import static io.vigil.aggregator.core.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SPEC section 4, one test per row and per rule on members, counts and endpoints. */
class ServiceStatusRulesTest {

    private final World world = new World();

    @Test
    @DisplayName("every member online: online")
    void everyMemberOnline() {
        world.send("a", universal(inbound(8080, "backend")));
        world.send("b", universal(inbound(8080, "backend")));
        world.send("a", connected("cp-1"));
        world.send("b", connected("cp-1"));
        assertThat(world.service("backend").status()).isEqualTo(HealthStatus.ONLINE);
        assertThat(world.service("backend").dataplanes()).isEqualTo(new ServiceCounts(2, 2, 0, 0));
    }

    @Test
    @DisplayName("no member online: offline")
    void noMemberOnline() {
        world.send("a", universal(inbound(8080, "backend")));
        world.send("b", universal(inbound(8080, "backend"), withHealth(8081, "admin", false)));
        world.send("b", connected("cp-1"));
        assertThat(world.service("backend").status()).isEqualTo(HealthStatus.OFFLINE);
        assertThat(world.service("backend").dataplanes()).isEqualTo(new ServiceCounts(2, 0, 1, 1));
    }

    @Test
    @DisplayName("otherwise: partially_degraded")
    void someMembersOnline() {
        world.send("a", universal(inbound(8080, "backend")));
        world.send("b", universal(inbound(8080, "backend")));
        world.send("a", connected("cp-1"));
        assertThat(world.service("backend").status()).isEqualTo(HealthStatus.PARTIALLY_DEGRADED);
    }

    @Test
    @DisplayName("no members left: the service is removed with a tombstone")
    void lastMemberLeavesTombstone() {
        world.send("a", universal(inbound(8080, "backend")));
        world.send("a", connected("cp-1"));
        var caused = world.send("a", deleted());
        assertThat(world.service("backend")).isNull();
        assertThat(caused).filteredOn(c -> c instanceof ServiceChange).singleElement()
                .satisfies(c -> {
                    assertThat(c.isTombstone()).isTrue();
                    assertThat(((ServiceChange) c).previousStatus()).isEqualTo(HealthStatus.ONLINE);
                });
    }

    @Test
    @DisplayName("a proxy counts as a whole: degraded for both of its services")
    void proxyStatusUsedAsWhole() {
        world.send("web", universal(inbound(8080, "a"), withHealth(8081, "b", false)));
        world.send("web", connected("cp-1"));
        assertThat(world.service("a").dataplanes().partiallyDegraded()).isEqualTo(1);
        assertThat(world.service("b").dataplanes().partiallyDegraded()).isEqualTo(1);
        assertThat(world.service("a").status()).isEqualTo(HealthStatus.OFFLINE);
    }

    @Test
    @DisplayName("each dataplane counts once per service")
    void dataplaneCountsOncePerService() {
        world.send("web", universal(inbound(8080, "backend"), inbound(8081, "backend")));
        world.send("web", connected("cp-1"));
        assertThat(world.service("backend").dataplanes().total()).isEqualTo(1);
        assertThat(world.service("backend").endpoints()).extracting(Endpoint::port).containsExactly(8080, 8081);
    }

    @Test
    @DisplayName("endpoints: every ready inbound, with the inbound address else the dataplane's")
    void endpointsAreReadyInbounds() {
        world.send("b", universalAt("127.0.0.2", inbound(8080, "backend"), withHealth(8082, "backend", false)));
        world.send("a", universalAt("127.0.0.1", withAddress(8080, "127.168.0.5", "backend")));
        assertThat(world.service("backend").endpoints()).containsExactly(
                new Endpoint("a", "127.168.0.5", 8080),
                new Endpoint("b", "127.0.0.2", 8080));
    }

    @Test
    @DisplayName("a disconnected proxy's ready inbounds stay in the set")
    void disconnectedProxyKeepsEndpoints() {
        world.send("a", universal(inbound(8080, "backend")));
        world.send("a", connected("cp-1"));
        world.send("a", disconnected("cp-1"));
        assertThat(world.service("backend").endpoints()).hasSize(1);
        assertThat(world.service("backend").status()).isEqualTo(HealthStatus.OFFLINE);
    }

    @Test
    @DisplayName("membership moves when tags change")
    void membershipMovesWithTags() {
        world.send("a", universal(inbound(8080, "backend")));
        world.send("a", connected("cp-1"));
        world.send("a", universal(inbound(8080, "frontend")));
        assertThat(world.service("backend")).isNull();
        assertThat(world.service("frontend").dataplanes().online()).isEqualTo(1);
    }

    @Test
    @DisplayName("services are per mesh")
    void servicesArePerMesh() {
        world.send("default", "web", null, universal(inbound(8080, "backend")));
        world.send("payments", "web", null, universal(inbound(8080, "backend")));
        world.send("default", "web", null, connected("cp-1"));
        assertThat(world.service("default", "backend").status()).isEqualTo(HealthStatus.ONLINE);
        assertThat(world.service("payments", "backend").status()).isEqualTo(HealthStatus.OFFLINE);
    }
}
