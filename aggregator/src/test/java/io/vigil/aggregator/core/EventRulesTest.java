package io.vigil.aggregator.core;

import static io.vigil.aggregator.core.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SPEC section 1: ids, facts before the upsert, deletes. */
class EventRulesTest {

    private final World world = new World();

    @Test
    @DisplayName("an event whose id is among the last 64 ids of the dataplane is ignored")
    void repeatedIdIgnored() {
        world.send("web", universal(probed(8080, "backend", 2, 1)));
        world.sendWithId("web", "p-1", healthy(8080));
        assertThat(world.sendWithId("web", "p-1", healthy(8080))).isEmpty();
        assertThat(world.ready("web", 8080)).isFalse();
    }

    @Test
    @DisplayName("ids are ignored whatever the type of the repeat")
    void repeatedIdIgnoredWhateverType() {
        world.send("web", universal(inbound(8080, "backend")));
        world.sendWithId("web", "x", connected("cp-1"));
        world.sendWithId("web", "x", disconnected("cp-1"));
        assertThat(world.proxy("web").connected()).isTrue();
    }

    @Test
    @DisplayName("an id older than the last 64 counts again")
    void idBeyondWindowCountsAgain() {
        world.send("web", universal(inbound(8080, "backend")));
        world.sendWithId("web", "first", inboundHealth(8080, false));
        for (int i = 0; i < RecentIds.CAPACITY; i++) {
            world.sendWithId("web", "filler-" + i, inboundHealth(8080, i % 2 == 1));
        }
        assertThat(world.ready("web", 8080)).isTrue();
        world.sendWithId("web", "first", inboundHealth(8080, false));
        assertThat(world.ready("web", 8080)).isFalse();
    }

    @Test
    @DisplayName("ids are per dataplane")
    void idsArePerDataplane() {
        world.send("a", universal(inbound(8080, "backend")));
        world.send("b", universal(inbound(8080, "backend")));
        world.sendWithId("a", "same", connected("cp-1"));
        world.sendWithId("b", "same", connected("cp-1"));
        assertThat(world.proxy("b").connected()).isTrue();
    }

    @Test
    @DisplayName("lasting facts before the upsert count once it arrives: connection")
    void connectionBeforeUpsert() {
        assertThat(world.send("web", connected("cp-1"))).isEmpty();
        world.send("web", universal(inbound(8080, "backend")));
        assertThat(world.proxy("web").status()).isEqualTo(HealthStatus.ONLINE);
    }

    @Test
    @DisplayName("lasting facts before the upsert count once it arrives: pod readiness")
    void podReadinessBeforeUpsert() {
        world.send("web", pod(true, container("app", true, 8080)));
        world.send("web", connected("cp-1"));
        world.send("web", kubernetes(inbound(8080, "backend")));
        assertThat(world.proxy("web").status()).isEqualTo(HealthStatus.ONLINE);
    }

    @Test
    @DisplayName("lasting facts before the upsert count once it arrives: draining")
    void drainingBeforeUpsert() {
        world.send("web", connected("cp-1"));
        world.send("web", draining());
        world.send("web", universal(inbound(8080, "backend")));
        assertThat(world.ready("web", 8080)).isFalse();
    }

    @Test
    @DisplayName("probe-result and inbound-health before the upsert are ignored")
    void momentaryFactsBeforeUpsertIgnored() {
        world.send("web", healthy(8080));
        world.send("web", inboundHealth(8081, false));
        world.send("web", universal(probed(8080, "backend", 1, 1), inbound(8081, "admin")));
        assertThat(world.ready("web", 8080)).isFalse();
        assertThat(world.ready("web", 8081)).isTrue();
    }

    @Test
    @DisplayName("dataplane-deleted forgets everything about the dataplane")
    void deleteForgetsEverything() {
        world.sendWithId("web", "c1", connected("cp-1"));
        world.send("web", universal(inbound(8080, "backend")));
        world.send("web", deleted());
        assertThat(world.proxy("web")).isNull();
        assertThat(world.service("backend")).isNull();
        world.send("web", universal(inbound(8080, "backend")));
        assertThat(world.proxy("web").connected()).as("the connection was forgotten").isFalse();
        world.sendWithId("web", "c1", connected("cp-1"));
        assertThat(world.proxy("web").connected()).as("the id was forgotten").isTrue();
    }

    @Test
    @DisplayName("dataplane-deleted of an unknown dataplane changes nothing")
    void deleteOfUnknown() {
        assertThat(world.send("ghost", deleted())).isEmpty();
        assertThat(world.snapshot().dataplanes()).isEmpty();
    }
}
