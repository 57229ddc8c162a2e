package io.vigil.projections;

import io.vigil.avro.Cause;
import io.vigil.avro.Environment;
import io.vigil.avro.HealthStatus;
import io.vigil.avro.InboundChange;
import io.vigil.avro.InboundState;
import io.vigil.avro.InboundSummary;
import io.vigil.avro.ProxyChange;
import io.vigil.avro.ProxyState;
import io.vigil.avro.ServiceChange;
import io.vigil.avro.ServiceCounts;
import io.vigil.avro.ServiceState;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Changes as the follower reads them, without Kafka: Avro changes written to records and decoded like the follower does. */
final class TestChanges {

    static final int INBOUND_TOPIC = ChangeTopics.index(Topics.INBOUND_HEALTH.name());
    static final int PROXY_TOPIC = ChangeTopics.index(Topics.PROXY_HEALTH.name());
    static final int SERVICE_TOPIC = ChangeTopics.index(Topics.SERVICE_HEALTH.name());

    private static final Cause CAUSE = new Cause("probe-result", null, Topics.DATAPLANE_EVENTS.name(), 0, 0L,
            Instant.parse("2026-11-26T10:00:00Z"));

    private TestChanges() {
    }

    static ProxyState proxyState(HealthStatus status, String... services) {
        return new ProxyState(status, status != HealthStatus.OFFLINE, Environment.UNIVERSAL, "127.0.0.1", false, List.of(services),
                List.of(new InboundSummary(8080, services.length == 0 ? "none" : services[0], status == HealthStatus.ONLINE,
                        "127.0.0.1", status == HealthStatus.ONLINE, false)), status == HealthStatus.ONLINE ? List.of() : List.of("not ready"),
                null, null);
    }

    static ServiceState serviceState(HealthStatus status) {
        return new ServiceState(status, new ServiceCounts(1, status == HealthStatus.ONLINE ? 1 : 0, status == HealthStatus.OFFLINE ? 1 : 0,
                status == HealthStatus.PARTIALLY_DEGRADED ? 1 : 0), List.of(), 1, null);
    }

    static ProxyChange proxyChange(String mesh, String dataplane, HealthStatus status, long version, String... services) {
        return new ProxyChange(mesh, dataplane, proxyState(status, services), null, version, CAUSE);
    }

    static ServiceChange serviceChange(String mesh, String service, HealthStatus status, long version) {
        return new ServiceChange(mesh, service, serviceState(status), null, version, CAUSE);
    }

    /** Proxy change {@code version} of {@code mesh/dataplane}, read at {@code partition@offset} of the proxy topic. */
    static HealthChange proxy(int partition, long offset, String mesh, String dataplane, long version) {
        ProxyChange change = proxyChange(mesh, dataplane, version % 2 == 0 ? HealthStatus.OFFLINE : HealthStatus.ONLINE, version, "web");
        return read(Topics.PROXY_HEALTH.name(), partition, offset, KeyFormat.of(mesh, dataplane), Topics.PROXY_HEALTH.serialize(change));
    }

    /** Inbound change {@code version} of {@code mesh/dataplane/port} (service web), read at {@code partition@offset} of the inbound topic. */
    static HealthChange inbound(int partition, long offset, String mesh, String dataplane, int port, long version) {
        InboundChange change = new InboundChange(mesh, dataplane, port, new InboundState("web", version % 2 == 1, "127.0.0.1", port,
                null, version % 2 == 1, false), null, version, CAUSE);
        return read(Topics.INBOUND_HEALTH.name(), partition, offset, KeyFormat.inbound(mesh, dataplane, port),
                Topics.INBOUND_HEALTH.serialize(change));
    }

    /** Service change {@code version} of {@code mesh/service}, read at {@code partition@offset} of the service topic. */
    static HealthChange service(int partition, long offset, String mesh, String service, long version) {
        ServiceChange change = serviceChange(mesh, service, HealthStatus.ONLINE, version);
        return read(Topics.SERVICE_HEALTH.name(), partition, offset, KeyFormat.of(mesh, service), Topics.SERVICE_HEALTH.serialize(change));
    }

    private static HealthChange read(String topic, int partition, long offset, String key, byte[] value) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(topic, partition, offset, key.getBytes(StandardCharsets.UTF_8), value);
        return new HealthChange.Decoder().decode(record);
    }
}
