package io.vigil.ingest.prober;

import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.ProbeResult;
import java.time.Instant;

/** Check outcomes as {@code probe-result} events of the event log. */
final class ProbeResultEvents {

    private ProbeResultEvents() {
    }

    /**
     * The event of one check started at {@code started}. Its id names the inbound and the start
     * time, so a producer retry or a replay of the same result is applied once (SPEC section 1).
     */
    static DataplaneEvent of(ProbeTarget target, Instant started, CheckOutcome outcome) {
        return DataplaneEvent.newBuilder()
                .setId("probe:" + target.port() + ":" + started.toEpochMilli())
                .setMesh(target.dataplane().mesh())
                .setDataplane(target.dataplane().name())
                .setTime(started)
                .setPayload(new ProbeResult(target.port(), outcome.healthy(), outcome.detail()))
                .build();
    }
}
