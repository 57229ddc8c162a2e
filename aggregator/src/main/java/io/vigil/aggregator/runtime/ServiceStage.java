package io.vigil.aggregator.runtime;

import io.vigil.aggregator.core.Endpoint;
import io.vigil.aggregator.core.MembershipChange;
import io.vigil.aggregator.core.ServiceChange;
import io.vigil.aggregator.core.ServiceFold;
import io.vigil.aggregator.core.ServiceState;
import io.vigil.aggregator.records.ChangeRecords;
import io.vigil.aggregator.records.CheckpointRecords;
import io.vigil.avro.MembershipUpdate;
import io.vigil.avro.ServiceCheckpoint;
import io.vigil.avro.ServiceEndpoints;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.ServiceKey;
import io.vigil.schemas.Topic;
import io.vigil.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Aggregator stage 2, keyed by service. Input {@link Topics#SERVICE_MEMBERSHIP}; outputs
 * {@link Topics#SERVICE_HEALTH}, one change per service per batch at most (coalesced, SPEC
 * section 5), and {@link Topics#SERVICE_ENDPOINTS}, the endpoints of each member whose endpoints
 * changed with it (to the service's partition); changelog {@link Topics#SERVICE_STATE}, one part
 * per service and one per member. No record grows with the size of a service.
 *
 * <p>Not thread-safe: driven by its {@link StageRunner}'s thread.
 */
public final class ServiceStage implements StageLogic {

    private final Map<Integer, ServiceFold> partitions = new HashMap<>();

    @Override
    public String name() {
        return "services";
    }

    @Override
    public Topic<?> inputTopic() {
        return Topics.SERVICE_MEMBERSHIP;
    }

    @Override
    public Topic<?> changelogTopic() {
        return Topics.SERVICE_STATE;
    }

    @Override
    public void restore(int partition, byte[] key, byte[] value) {
        CheckpointRecords.restore(partitions.computeIfAbsent(partition, p -> new ServiceFold()),
                new String(key, StandardCharsets.UTF_8), value == null ? null : Topics.SERVICE_STATE.deserialize(value));
    }

    @Override
    public void drop(int partition) {
        partitions.remove(partition);
    }

    @Override
    public void process(ConsumerRecord<byte[], byte[]> record, Outputs out) {
        MembershipUpdate update;
        try {
            update = Topics.SERVICE_MEMBERSHIP.deserialize(record.value());
        } catch (SerializationException e) {
            throw new PoisonRecordException("undecodable membership update: " + e.getMessage(), e);
        }
        if (update == null) {
            throw new PoisonRecordException("empty record: a membership update needs a value");
        }
        MembershipChange membership = ChangeRecords.membership(update);
        partitions.computeIfAbsent(record.partition(), p -> new ServiceFold()).apply(membership);
        if (membership.cause() != null) {
            out.continues(membership.cause().source());
        }
    }

    /** Per service: its endpoint parts, then its change (a consumer that has the change has its parts), then its checkpoint parts. */
    @Override
    public void endBatch(Outputs out) {
        for (Map.Entry<Integer, ServiceFold> entry : partitions.entrySet()) {
            ServiceFold services = entry.getValue();
            Map<ServiceKey, ServiceChange> changes = new HashMap<>();
            for (ServiceChange change : services.flush()) {
                changes.put(change.service(), change);
            }
            for (ServiceState state : services.lastFlushed()) {
                sendEndpoints(state, out);
                ServiceChange change = changes.get(state.key());
                if (change != null) {
                    out.sendChange(Topics.SERVICE_HEALTH, change, Topics.SERVICE_HEALTH.serialize(ChangeRecords.service(change)));
                }
                sendCheckpoint(entry.getKey(), state, services.get(state.key()) == null, out);
            }
        }
    }

    private static void sendEndpoints(ServiceState state, Outputs out) {
        ServiceKey service = state.key();
        for (Map.Entry<String, List<Endpoint>> part : state.endpointParts().entrySet()) {
            ServiceEndpoints record = ChangeRecords.serviceEndpoints(service, part.getKey(), part.getValue(), state.version());
            out.send(Topics.SERVICE_ENDPOINTS, KeyFormat.serviceEndpoints(service.mesh(), service.name(), part.getKey()),
                    service.toString(), record == null ? null : Topics.SERVICE_ENDPOINTS.serialize(record));
        }
    }

    private static void sendCheckpoint(int partition, ServiceState state, boolean gone, Outputs out) {
        for (Map.Entry<String, ServiceCheckpoint> part : CheckpointRecords.serviceParts(state, gone).entrySet()) {
            out.send(Topics.SERVICE_STATE, partition, part.getKey(),
                    part.getValue() == null ? null : Topics.SERVICE_STATE.serialize(part.getValue()));
        }
    }
}
