package io.vigil.aggregator.core;

import java.util.List;

/** Short constructors of event payloads and specs for the rule tests. */
final class Facts {

    static final ProbeDefaults DEFAULTS = ProbeDefaults.KUMA;

    private Facts() {
    }

    static DataplaneUpserted universal(InboundSpec... inbounds) {
        return new DataplaneUpserted(Environment.UNIVERSAL, new DataplaneSpec("127.0.0.1", List.of(inbounds), null));
    }

    static DataplaneUpserted universalAt(String address, InboundSpec... inbounds) {
        return new DataplaneUpserted(Environment.UNIVERSAL, new DataplaneSpec(address, List.of(inbounds), null));
    }

    static DataplaneUpserted kubernetes(InboundSpec... inbounds) {
        return new DataplaneUpserted(Environment.KUBERNETES, new DataplaneSpec("127.244.0.7", List.of(inbounds), null));
    }

    static DataplaneUpserted gateway(String service) {
        return new DataplaneUpserted(Environment.UNIVERSAL, new DataplaneSpec("127.0.0.9", List.of(), service));
    }

    static InboundSpec inbound(int port, String service) {
        return new InboundSpec(port, null, null, service, null, null);
    }

    static InboundSpec withHealth(int port, String service, boolean ready) {
        return new InboundSpec(port, null, null, service, ready, null);
    }

    static InboundSpec withServicePort(int port, int servicePort, String service) {
        return new InboundSpec(port, servicePort, null, service, null, null);
    }

    static InboundSpec withAddress(int port, String address, String service) {
        return new InboundSpec(port, null, address, service, null, null);
    }

    static InboundSpec probed(int port, String service, int healthyThreshold, int unhealthyThreshold) {
        return new InboundSpec(port, null, null, service, null,
                DEFAULTS.resolve(null, null, healthyThreshold, unhealthyThreshold, null));
    }

    static InboundSpec probedWithHealth(int port, String service, boolean ready) {
        return new InboundSpec(port, null, null, service, ready, DEFAULTS.resolve(null, null, null, null, null));
    }

    static StreamConnected connected(String instance) {
        return new StreamConnected(instance, null);
    }

    static StreamConnected connected(String instance, String stream) {
        return new StreamConnected(instance, stream);
    }

    static StreamDisconnected disconnected(String instance) {
        return new StreamDisconnected(instance, null);
    }

    static StreamDisconnected disconnected(String instance, String stream) {
        return new StreamDisconnected(instance, stream);
    }

    static ProbeResult healthy(int port) {
        return new ProbeResult(port, true, null);
    }

    static ProbeResult failed(int port) {
        return new ProbeResult(port, false, "connection refused");
    }

    static PodReadiness pod(boolean sidecarReady, PodContainer... containers) {
        return new PodReadiness(false, sidecarReady, List.of(containers));
    }

    static PodReadiness terminatingPod(PodContainer... containers) {
        return new PodReadiness(true, true, List.of(containers));
    }

    static PodContainer container(String name, boolean ready, Integer... ports) {
        return new PodContainer(name, ready, List.of(ports));
    }

    static InboundHealthSet inboundHealth(int port, boolean ready) {
        return new InboundHealthSet(port, ready);
    }

    static DataplaneDraining draining() {
        return new DataplaneDraining();
    }

    static DataplaneDeleted deleted() {
        return new DataplaneDeleted();
    }
}
