package io.vigil.aggregator.core;

import static io.vigil.aggregator.core.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SPEC section 5: only changes, versions, previous status, causes, tombstones. */
class ChangeRulesTest {

    private final World world = new World();

    @Test
    @DisplayName("an upsert emits each inbound, the proxy and each service at version 1")
    void firstUpsertEmitsVersionOne() {
        List<HealthChange> caused = world.send("web", universal(inbound(8080, "backend"), inbound(8081, "admin")));
        assertThat(caused).hasSize(5).allSatisfy(c -> assertThat(c.version()).isEqualTo(1));
        assertThat(caused.get(0)).isInstanceOfSatisfying(InboundChange.class, c -> {
            assertThat(c.port()).isEqualTo(8080);
            assertThat(c.previousReady()).isNull();
        });
        assertThat(caused.get(2)).isInstanceOfSatisfying(ProxyChange.class, c -> assertThat(c.previousStatus()).isNull());
        assertThat(caused.subList(3, 5)).extracting(c -> ((ServiceChange) c).service().name()).containsExactly("admin", "backend");
    }

    @Test
    @DisplayName("only changes are emitted")
    void onlyChanges() {
        world.send("web", universal(probed(8080, "backend", 1, 1)));
        world.send("web", connected("cp-1"));
        world.send("web", healthy(8080));
        assertThat(world.send("web", healthy(8080))).isEmpty();
        assertThat(world.send("web", universal(probed(8080, "backend", 1, 1)))).isEmpty();
        assertThat(world.send("web", pod(true))).as("pod readiness is ignored on Universal").isEmpty();
    }

    @Test
    @DisplayName("tags other than kuma.io/service change no health and emit nothing")
    void tagsChangeNothing() {
        InboundSpec v1 = new InboundSpec(8080, null, null, "backend", null, DEFAULTS.resolve(null, null, 2, 2, null),
                Map.of("kuma.io/service", "backend", "version", "v1"));
        world.send("web", new DataplaneUpserted(Environment.UNIVERSAL, new DataplaneSpec("127.0.0.1", List.of(v1), null)));
        world.send("web", connected("cp-1"));
        world.send("web", healthy(8080));
        world.send("web", healthy(8080));
        world.send("gw", new DataplaneUpserted(Environment.UNIVERSAL, new DataplaneSpec("127.0.0.9", List.of(), "edge",
                Map.of("kuma.io/service", "edge", "zone", "east"))));
        world.send("gw", connected("cp-1"));
        assertThat(world.ready("web", 8080)).isTrue();

        InboundSpec v2 = new InboundSpec(8080, null, null, "backend", null, DEFAULTS.resolve(null, null, 2, 2, null),
                Map.of("kuma.io/service", "backend", "version", "v2", "team", "payments"));
        assertThat(world.send("web", new DataplaneUpserted(Environment.UNIVERSAL, new DataplaneSpec("127.0.0.1", List.of(v2), null))))
                .as("the probe counters are kept: the settings did not change").isEmpty();
        assertThat(world.send("gw", new DataplaneUpserted(Environment.UNIVERSAL, new DataplaneSpec("127.0.0.9", List.of(), "edge",
                Map.of("kuma.io/service", "edge", "zone", "west"))))).isEmpty();
        assertThat(world.send("web", failed(8080))).as("still counting from the kept state").isEmpty();
        assertThat(world.ready("web", 8080)).isTrue();
    }

    @Test
    @DisplayName("a change carries the previous status, the next version and its cause")
    void changeCarriesPreviousVersionAndCause() {
        world.send("web", universal(probed(8080, "backend", 1, 1)));
        world.send("web", connected("cp-1"));
        List<HealthChange> caused = world.sendWithId("web", "probe-7", healthy(8080));
        assertThat(caused).hasSize(3);
        InboundChange inbound = (InboundChange) caused.get(0);
        assertThat(inbound.previousReady()).isFalse();
        assertThat(inbound.state().ready()).isTrue();
        assertThat(inbound.version()).isEqualTo(2);
        ProxyChange proxy = (ProxyChange) caused.get(1);
        assertThat(proxy.previousStatus()).isEqualTo(HealthStatus.OFFLINE);
        assertThat(proxy.state().status()).isEqualTo(HealthStatus.ONLINE);
        assertThat(proxy.version()).isEqualTo(3);
        assertThat(proxy.cause().eventType()).isEqualTo("probe-result");
        assertThat(proxy.cause().eventId()).isEqualTo("probe-7");
        ServiceChange service = (ServiceChange) caused.get(2);
        assertThat(service.previousStatus()).isEqualTo(HealthStatus.OFFLINE);
        assertThat(service.version()).isEqualTo(2);
    }

    @Test
    @DisplayName("a proxy change when only the connection changes")
    void connectionChangeIsProxyChange() {
        world.send("web", universal(withHealth(8080, "backend", false)));
        List<HealthChange> caused = world.send("web", connected("cp-1"));
        assertThat(caused).singleElement().isInstanceOfSatisfying(ProxyChange.class, c -> {
            assertThat(c.state().connected()).isTrue();
            assertThat(c.state().status()).isEqualTo(HealthStatus.OFFLINE);
        });
    }

    @Test
    @DisplayName("a deleted dataplane ends with tombstones; created again it starts at version 1")
    void deleteEndsWithTombstonesAndRestartsVersions() {
        world.send("web", universal(inbound(8080, "backend")));
        world.send("web", connected("cp-1"));
        List<HealthChange> caused = world.send("web", deleted());
        assertThat(caused).hasSize(3).allMatch(HealthChange::isTombstone);
        assertThat(caused.get(0).version()).isEqualTo(2);
        assertThat(caused.get(1).version()).isEqualTo(3);
        assertThat(caused.get(2).version()).isEqualTo(3);
        List<HealthChange> again = world.send("web", universal(inbound(8080, "backend")));
        assertThat(again).allSatisfy(c -> assertThat(c.version()).isEqualTo(1));
    }

    @Test
    @DisplayName("a removed inbound ends with a tombstone")
    void removedInboundTombstone() {
        world.send("web", universal(inbound(8080, "backend"), inbound(8081, "admin")));
        List<HealthChange> caused = world.send("web", universal(inbound(8080, "backend")));
        assertThat(caused.get(0)).isInstanceOfSatisfying(InboundChange.class, c -> {
            assertThat(c.port()).isEqualTo(8081);
            assertThat(c.isTombstone()).isTrue();
            assertThat(c.version()).isEqualTo(2);
        });
    }

    @Test
    @DisplayName("per-entity versions grow by exactly one per change")
    void versionsAreGapFree() {
        world.send("web", universal(probed(8080, "backend", 1, 1)));
        world.send("web", connected("cp-1"));
        for (int i = 0; i < 20; i++) {
            world.send("web", i % 3 == 0 ? failed(8080) : healthy(8080));
        }
        assertThat(VersionLedger.of(world.changes()).gaps()).isEmpty();
    }
}
