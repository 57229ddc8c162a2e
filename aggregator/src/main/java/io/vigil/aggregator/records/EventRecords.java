package io.vigil.aggregator.records;

import io.vigil.aggregator.core.DataplaneDeleted;
import io.vigil.aggregator.core.DataplaneDraining;
import io.vigil.aggregator.core.DataplaneSpec;
import io.vigil.aggregator.core.DataplaneUpserted;
import io.vigil.aggregator.core.Environment;
import io.vigil.aggregator.core.Event;
import io.vigil.aggregator.core.EventPayload;
import io.vigil.aggregator.core.InboundHealthSet;
import io.vigil.aggregator.core.InboundSpec;
import io.vigil.aggregator.core.PodContainer;
import io.vigil.aggregator.core.PodReadiness;
import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.core.ProbeResult;
import io.vigil.aggregator.core.ProbeSettings;
import io.vigil.aggregator.core.Source;
import io.vigil.aggregator.core.StreamConnected;
import io.vigil.aggregator.core.StreamDisconnected;
import io.vigil.aggregator.core.Tags;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.Inbound;
import io.vigil.avro.ServiceProbe;
import io.vigil.schemas.DataplaneKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Avro {@link DataplaneEvent}s (the event log's records) as the rules' {@link Event}s. Probe
 * settings take the configured defaults here, so the rules compare settings as Kuma would; tags
 * are kept as {@link Tags} (interned, immutable), for {@code vigil.dataplane-specs}.
 * Stateless and thread-safe.
 */
public final class EventRecords {

    /** The tag that names an inbound's (or a gateway's) service. */
    public static final String SERVICE_TAG = Tags.SERVICE;

    private final ProbeDefaults probeDefaults;

    public EventRecords(ProbeDefaults probeDefaults) {
        this.probeDefaults = probeDefaults;
    }

    /**
     * @throws InvalidEventException when the record breaks a rule the JSON codec enforces (it was
     *     written by something other than vigil's ingest): it must go to the dead-letter topic
     */
    public Event toEvent(DataplaneEvent record, Source source) {
        return new Event(new DataplaneKey(record.getMesh(), record.getDataplane()), record.getTime(), record.getId(),
                payload(record.getPayload()), source);
    }

    private EventPayload payload(Object payload) {
        if (payload instanceof io.vigil.avro.DataplaneUpserted upserted) {
            return new DataplaneUpserted(
                    upserted.getEnvironment() == io.vigil.avro.Environment.KUBERNETES ? Environment.KUBERNETES : Environment.UNIVERSAL,
                    spec(upserted.getSpec()));
        }
        if (payload instanceof io.vigil.avro.DataplaneDeleted) {
            return new DataplaneDeleted();
        }
        if (payload instanceof io.vigil.avro.StreamConnected connected) {
            return new StreamConnected(connected.getInstance(), connected.getStream());
        }
        if (payload instanceof io.vigil.avro.StreamDisconnected disconnected) {
            return new StreamDisconnected(disconnected.getInstance(), disconnected.getStream());
        }
        if (payload instanceof io.vigil.avro.ProbeResult probe) {
            return new ProbeResult(probe.getPort(), probe.getHealthy(), probe.getDetail());
        }
        if (payload instanceof io.vigil.avro.PodReadiness pod) {
            List<PodContainer> containers = new ArrayList<>(pod.getContainers().size());
            for (io.vigil.avro.Container c : pod.getContainers()) {
                containers.add(new PodContainer(c.getName(), c.getReady(), c.getPorts()));
            }
            return new PodReadiness(pod.getTerminating(), pod.getSidecarReady(), containers);
        }
        if (payload instanceof io.vigil.avro.DataplaneDraining) {
            return new DataplaneDraining();
        }
        if (payload instanceof io.vigil.avro.InboundHealth health) {
            return new InboundHealthSet(health.getPort(), health.getReady());
        }
        throw new InvalidEventException("unknown event payload " + (payload == null ? "null" : payload.getClass().getSimpleName()));
    }

    private DataplaneSpec spec(io.vigil.avro.DataplaneSpec spec) {
        io.vigil.avro.Networking networking = spec.getNetworking();
        List<InboundSpec> inbounds = new ArrayList<>(networking.getInbound().size());
        for (Inbound inbound : networking.getInbound()) {
            Map<String, String> tags = Tags.of(inbound.getTags());
            inbounds.add(new InboundSpec(inbound.getPort(), inbound.getServicePort(), inbound.getAddress(),
                    service(tags, "inbound " + inbound.getPort()), health(inbound), probe(inbound.getServiceProbe()), tags));
        }
        Map<String, String> gatewayTags = networking.getGateway() == null ? null : Tags.of(networking.getGateway().getTags());
        String gatewayService = gatewayTags == null ? null : service(gatewayTags, "gateway");
        try {
            return new DataplaneSpec(networking.getAddress(), inbounds, gatewayService, gatewayTags);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(e.getMessage());
        }
    }

    private static String service(Map<String, String> tags, String where) {
        String service = tags.get(SERVICE_TAG);
        if (service == null || service.isEmpty()) {
            throw new InvalidEventException(where + " has no " + SERVICE_TAG + " tag");
        }
        return service;
    }

    /** {@code health: {}} without {@code ready} means not ready, as in Kuma's resource. */
    private static Boolean health(Inbound inbound) {
        if (inbound.getHealth() == null) {
            return null;
        }
        return Boolean.TRUE.equals(inbound.getHealth().getReady());
    }

    private ProbeSettings probe(ServiceProbe probe) {
        if (probe == null) {
            return null;
        }
        try {
            return probeDefaults.resolve(probe.getIntervalMillis(), probe.getTimeoutMillis(), probe.getHealthyThreshold(),
                    probe.getUnhealthyThreshold(), probe.getHttp() == null ? null : probe.getHttp().getPath());
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(e.getMessage());
        }
    }
}
