package io.vigil.aggregator.runtime;

import io.vigil.aggregator.core.ServiceChange;
import io.vigil.aggregator.core.ServiceFold;
import io.vigil.aggregator.core.ServiceState;
import io.vigil.aggregator.records.ChangeRecords;
import io.vigil.aggregator.records.CheckpointRecords;
import io.vigil.avro.MembershipUpdate;
import io.vigil.schemas.ServiceKey;
import io.vigil.schemas.Topic;
import io.vigil.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Aggregator stage 2, keyed by service. Input {@link Topics#SERVICE_MEMBERSHIP}; output
 * {@link Topics#SERVICE_HEALTH}, one change per service per batch at most (coalesced, SPEC
 * section 5); changelog {@link Topics#SERVICE_STATE}.
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
        ServiceFold services = partitions.computeIfAbsent(partition, p -> new ServiceFold());
        if (value == null) {
            services.forget(ServiceKey.parse(new String(key, StandardCharsets.UTF_8)));
        } else {
            services.restore(CheckpointRecords.service(Topics.SERVICE_STATE.deserialize(value)));
        }
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
        partitions.computeIfAbsent(record.partition(), p -> new ServiceFold()).apply(ChangeRecords.membership(update));
    }

    @Override
    public void endBatch(Outputs out) {
        for (Map.Entry<Integer, ServiceFold> entry : partitions.entrySet()) {
            ServiceFold services = entry.getValue();
            for (ServiceChange change : services.flush()) {
                String key = change.entityKey();
                out.send(Topics.SERVICE_HEALTH, key, Topics.SERVICE_HEALTH.serialize(ChangeRecords.service(change)));
                if (change.isTombstone()) {
                    out.send(Topics.SERVICE_HEALTH, key, null);
                }
            }
            for (ServiceKey key : services.lastFlushed()) {
                ServiceState state = services.get(key);
                out.send(Topics.SERVICE_STATE, entry.getKey(), key.toString(),
                        state == null ? null : Topics.SERVICE_STATE.serialize(CheckpointRecords.service(state)));
            }
        }
    }
}
