package io.vigil.aggregator.core;

import static io.vigil.aggregator.core.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** SPEC section 3, one test per row and per connection rule. */
class ProxyStatusRulesTest {

    private final World world = new World();

    @Test
    @DisplayName("never connected: offline")
    void neverConnectedIsOffline() {
        world.send("web", universal(inbound(8080, "backend")));
        assertThat(world.proxy("web").status()).isEqualTo(HealthStatus.OFFLINE);
        assertThat(world.proxy("web").connected()).isFalse();
        assertThat(world.proxy("web").reasons()).containsExactly("not connected to the control plane");
    }

    @Test
    @DisplayName("its open stream closed: offline")
    void closedStreamIsOffline() {
        world.send("web", universal(inbound(8080, "backend")));
        world.send("web", connected("cp-1"));
        world.send("web", disconnected("cp-1"));
        assertThat(world.proxy("web").status()).isEqualTo(HealthStatus.OFFLINE);
    }

    @Test
    @DisplayName("connected, gateway dataplane: online")
    void connectedGatewayIsOnline() {
        world.send("gw", gateway("edge"));
        world.send("gw", connected("cp-1"));
        ProxyView gw = world.proxy("gw");
        assertThat(gw.status()).isEqualTo(HealthStatus.ONLINE);
        assertThat(gw.gateway()).isTrue();
        assertThat(gw.inbounds()).isEmpty();
        assertThat(world.service("edge").status()).isEqualTo(HealthStatus.ONLINE);
        assertThat(world.service("edge").endpoints()).isEmpty();
    }

    @Test
    @DisplayName("connected, every inbound ready: online")
    void everyInboundReadyIsOnline() {
        world.send("web", universal(inbound(8080, "backend"), inbound(8081, "admin")));
        world.send("web", connected("cp-1"));
        assertThat(world.proxy("web").status()).isEqualTo(HealthStatus.ONLINE);
        assertThat(world.proxy("web").reasons()).isEmpty();
    }

    @Test
    @DisplayName("connected, no inbound ready: offline")
    void noInboundReadyIsOffline() {
        world.send("web", universal(withHealth(8080, "backend", false), withHealth(8081, "admin", false)));
        world.send("web", connected("cp-1"));
        assertThat(world.proxy("web").status()).isEqualTo(HealthStatus.OFFLINE);
    }

    @Test
    @DisplayName("connected, some but not all inbounds ready: partially_degraded")
    void someInboundsReadyIsPartiallyDegraded() {
        world.send("web", universal(inbound(11011, "backend"), withHealth(11021, "admin", false)));
        world.send("web", connected("cp-1"));
        assertThat(world.proxy("web").status()).isEqualTo(HealthStatus.PARTIALLY_DEGRADED);
        assertThat(world.proxy("web").reasons())
                .containsExactly("inbound[port=11021, service=admin] not ready: health.ready is false");
    }

    @Test
    @DisplayName("connected, zero inbounds (not a gateway): online")
    void zeroInboundsIsOnline() {
        world.send("web", universal());
        world.send("web", connected("cp-1"));
        assertThat(world.proxy("web").status()).isEqualTo(HealthStatus.ONLINE);
    }

    @Nested
    @DisplayName("connection")
    class Connection {

        @Test
        @DisplayName("a stream-connected closes any other open subscription")
        void newStreamReplacesOld() {
            world.send("web", universal(inbound(8080, "backend")));
            world.send("web", connected("cp-1"));
            world.send("web", connected("cp-2"));
            world.send("web", disconnected("cp-2"));
            assertThat(world.proxy("web").connected()).isFalse();
        }

        @Test
        @DisplayName("a stale disconnect from an older control-plane instance is ignored")
        void staleDisconnectIgnored() {
            world.send("web", universal(inbound(8080, "backend")));
            world.send("web", connected("cp-1"));
            world.send("web", connected("cp-2"));
            assertThat(world.send("web", disconnected("cp-1"))).isEmpty();
            assertThat(world.proxy("web").status()).isEqualTo(HealthStatus.ONLINE);
        }

        @Test
        @DisplayName("when both carry a stream id the ids must match")
        void streamIdsMustMatch() {
            world.send("web", universal(inbound(8080, "backend")));
            world.send("web", connected("cp-1", "s-2"));
            world.send("web", disconnected("cp-1", "s-1"));
            assertThat(world.proxy("web").connected()).isTrue();
            world.send("web", disconnected("cp-1", "s-2"));
            assertThat(world.proxy("web").connected()).isFalse();
        }

        @Test
        @DisplayName("when only one carries a stream id the instance decides")
        void instanceDecidesWithoutBothStreamIds() {
            world.send("web", universal(inbound(8080, "backend")));
            world.send("web", connected("cp-1", "s-1"));
            world.send("web", disconnected("cp-1"));
            assertThat(world.proxy("web").connected()).isFalse();
            world.send("web", connected("cp-1"));
            world.send("web", disconnected("cp-2", "s-9"));
            assertThat(world.proxy("web").connected()).isTrue();
        }
    }
}
