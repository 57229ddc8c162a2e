package io.vigil.aggregator.core;

import static io.vigil.aggregator.core.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.DataplaneKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What stage 1 publishes on vigil.dataplane-specs, and when it counts as changed. */
class SpecViewTest {

    private static final DataplaneKey WEB = new DataplaneKey("default", "web");

    private final Dataplanes dataplanes = new Dataplanes();

    @Test
    void aDataplaneHasAViewOnlyOnceUpserted() {
        assertThat(SpecView.of(null)).isNull();
        apply(connected("cp-1"));
        assertThat(SpecView.of(state())).as("a connection before the resource").isNull();

        apply(universal(probed(8080, "web", 1, 1)));

        assertThat(SpecView.of(state())).isEqualTo(new SpecView(WEB, Environment.UNIVERSAL, state().spec(), true, false));
    }

    @Test
    void theViewFollowsTheSubscriptionRuleAndTheDrain() {
        apply(universal(inbound(8080, "web")));
        apply(connected("cp-1", "s1"));
        SpecView connected = SpecView.of(state());

        apply(disconnected("cp-1", "s0"));
        assertThat(SpecView.samePublished(connected, SpecView.of(state()))).as("a stale disconnect").isTrue();
        apply(draining());
        assertThat(SpecView.of(state()).draining()).isTrue();
        apply(connected("cp-2", "s2"));
        assertThat(SpecView.of(state())).extracting(SpecView::connected, SpecView::draining).containsExactly(true, false);
        apply(disconnected("cp-2", "s2"));
        assertThat(SpecView.of(state()).connected()).isFalse();
    }

    @Test
    void whatThePublishedRecordLeavesOutIsNoChange() {
        SpecView plain = view(new DataplaneSpec("127.0.0.1", List.of(inbound(8080, "web")), null));

        assertThat(SpecView.samePublished(plain, view(new DataplaneSpec("127.0.0.1", List.of(withHealth(8080, "web", false)), null))))
                .as("health is not published").isTrue();
        assertThat(SpecView.samePublished(plain, view(new DataplaneSpec("127.0.0.1", List.of(withAddress(8080, "127.0.0.1", "web")), null))))
                .as("the same effective address").isTrue();
        assertThat(SpecView.samePublished(plain, view(new DataplaneSpec("127.0.0.1", List.of(withServicePort(8080, 8080, "web")), null))))
                .as("the same workload port").isTrue();
    }

    @Test
    void everyPublishedFieldIsAChange() {
        SpecView plain = view(new DataplaneSpec("127.0.0.1", List.of(inbound(8080, "web")), null));

        assertThat(List.of(
                view(new DataplaneSpec("127.0.0.2", List.of(inbound(8080, "web")), null)),
                view(new DataplaneSpec("127.0.0.1", List.of(withAddress(8080, "127.0.0.3", "web")), null)),
                view(new DataplaneSpec("127.0.0.1", List.of(withServicePort(8080, 18080, "web")), null)),
                view(new DataplaneSpec("127.0.0.1", List.of(inbound(8080, "api")), null)),
                view(new DataplaneSpec("127.0.0.1", List.of(new InboundSpec(8080, null, null, "web", null, null,
                        Map.of("kuma.io/service", "web", "version", "v2"))), null)),
                view(new DataplaneSpec("127.0.0.1", List.of(probed(8080, "web", 1, 1)), null)),
                view(new DataplaneSpec("127.0.0.1", List.of(inbound(8080, "web"), inbound(8081, "web")), null)),
                view(new DataplaneSpec("127.0.0.1", List.of(inbound(8080, "web")), "edge")),
                new SpecView(WEB, Environment.KUBERNETES, plain.spec(), true, false),
                new SpecView(WEB, Environment.UNIVERSAL, plain.spec(), false, false),
                new SpecView(WEB, Environment.UNIVERSAL, plain.spec(), true, true)))
                .allSatisfy(other -> assertThat(SpecView.samePublished(plain, other)).as(other.toString()).isFalse());
        assertThat(SpecView.samePublished(plain, null)).isFalse();
        assertThat(SpecView.samePublished(null, null)).isTrue();
    }

    @Test
    void healthReportsCannotChangeIt() {
        assertThat(List.of(healthy(8080), inboundHealth(8080, true), pod(true))).noneMatch(SpecView::canChange);
        assertThat(List.of(universal(), deleted(), connected("cp-1"), disconnected("cp-1"), draining())).allMatch(SpecView::canChange);
    }

    private static SpecView view(DataplaneSpec spec) {
        return new SpecView(WEB, Environment.UNIVERSAL, spec, true, false);
    }

    private void apply(EventPayload payload) {
        dataplanes.apply(new Event(WEB, Instant.parse("2026-11-26T10:00:00Z"), null, payload, null));
    }

    private DataplaneState state() {
        return dataplanes.get(WEB);
    }
}
