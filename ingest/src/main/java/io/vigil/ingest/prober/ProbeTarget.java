package io.vigil.ingest.prober;

import io.vigil.schemas.DataplaneKey;

/**
 * One probed inbound: where its workload listens and how to check it. Two equal targets probe
 * alike, so an upsert that leaves an inbound's target equal keeps its schedule.
 *
 * @param port         the inbound's {@code port}, which names the inbound in {@code probe-result} events
 * @param address      the inbound's {@code address}, else the dataplane's {@code networking.address}
 * @param workloadPort the inbound's {@code servicePort}, else its {@code port}
 * @param settings     the {@code serviceProbe} after defaults
 */
public record ProbeTarget(DataplaneKey dataplane, int port, String address, int workloadPort, ProbeSettings settings) {

    /** For logs: which inbound, and where its workload is. */
    public String describe() {
        return "inbound[port=" + port + "] of " + dataplane + " at " + address + ":" + workloadPort;
    }
}
