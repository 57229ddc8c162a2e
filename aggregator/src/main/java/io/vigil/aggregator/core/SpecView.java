package io.vigil.aggregator.core;

import io.vigil.schemas.DataplaneKey;
import java.util.Objects;

/**
 * What {@code vigil.dataplane-specs} says about one dataplane: its last upserted spec (tags
 * included) and environment, whether its xDS stream is open ({@link Subscription}'s rule) and
 * whether it is draining. Stage 1 publishes it whenever it changes; a dataplane without an upsert
 * has none.
 */
public record SpecView(DataplaneKey key, Environment environment, DataplaneSpec spec, boolean connected, boolean draining) {

    public SpecView {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(spec, "spec");
    }

    /** The view of a dataplane's state; null when nothing is known or it has not been upserted yet. */
    public static SpecView of(DataplaneState state) {
        if (state == null || state.spec == null) {
            return null;
        }
        return new SpecView(state.key, state.environment, state.spec, state.subscription != null, state.draining);
    }

    /**
     * Whether two views publish the same record: equal apart from what the topic leaves out (an
     * inbound's {@code health}, and whether its address or workload port came from the inbound or
     * from the dataplane). Null is the view of a dataplane without one.
     */
    public static boolean samePublished(SpecView a, SpecView b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.key.equals(b.key) && a.environment == b.environment && a.connected == b.connected && a.draining == b.draining
                && (a.spec == b.spec || samePublished(a.spec, b.spec));
    }

    private static boolean samePublished(DataplaneSpec a, DataplaneSpec b) {
        if (!a.address().equals(b.address()) || !Objects.equals(a.gatewayTags(), b.gatewayTags())
                || a.inbounds().size() != b.inbounds().size()) {
            return false;
        }
        for (int i = 0; i < a.inbounds().size(); i++) {
            InboundSpec x = a.inbounds().get(i);
            InboundSpec y = b.inbounds().get(i);
            if (x.port() != y.port() || x.workloadPort() != y.workloadPort() || !a.addressOf(x).equals(b.addressOf(y))
                    || !x.service().equals(y.service()) || !x.tags().equals(y.tags()) || !Objects.equals(x.probe(), y.probe())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether an event with this payload can change a dataplane's view. False for the health
     * reports that make up most of the log (probe results, inbound health, pod readiness), so
     * the caller can skip them before building anything.
     */
    public static boolean canChange(EventPayload payload) {
        return !(payload instanceof ProbeResult || payload instanceof InboundHealthSet || payload instanceof PodReadiness);
    }
}
