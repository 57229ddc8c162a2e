package io.vigil.aggregator.runtime;

import io.vigil.aggregator.core.DataplaneChanges;
import io.vigil.aggregator.core.DataplaneState;
import io.vigil.aggregator.core.Dataplanes;
import io.vigil.aggregator.core.Event;
import io.vigil.aggregator.core.InboundChange;
import io.vigil.aggregator.core.MembershipChange;
import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.core.Source;
import io.vigil.aggregator.records.ChangeRecords;
import io.vigil.aggregator.records.CheckpointRecords;
import io.vigil.aggregator.records.EventRecords;
import io.vigil.aggregator.records.InvalidEventException;
import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.DataplaneKey;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Topic;
import io.vigil.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Aggregator stage 1, keyed by dataplane. Input {@link Topics#DATAPLANE_EVENTS}; outputs
 * {@link Topics#INBOUND_HEALTH}, {@link Topics#PROXY_HEALTH} and {@link Topics#SERVICE_MEMBERSHIP};
 * changelog {@link Topics#DATAPLANE_STATE}. A tombstone change is followed by a Kafka tombstone
 * (null value) of the same key, so compaction eventually forgets the entity.
 *
 * <p>Not thread-safe: driven by its {@link StageRunner}'s thread.
 */
public final class DataplaneStage implements StageLogic {

    private final EventRecords events;
    private final Map<Integer, Dataplanes> partitions = new HashMap<>();
    private final Map<Integer, Set<DataplaneKey>> changed = new HashMap<>();

    public DataplaneStage(ProbeDefaults probeDefaults) {
        this.events = new EventRecords(probeDefaults);
    }

    @Override
    public String name() {
        return "dataplanes";
    }

    @Override
    public Topic<?> inputTopic() {
        return Topics.DATAPLANE_EVENTS;
    }

    @Override
    public Topic<?> changelogTopic() {
        return Topics.DATAPLANE_STATE;
    }

    @Override
    public void restore(int partition, byte[] key, byte[] value) {
        Dataplanes dataplanes = partitions.computeIfAbsent(partition, p -> new Dataplanes());
        if (value == null) {
            dataplanes.forget(DataplaneKey.parse(new String(key, StandardCharsets.UTF_8)));
        } else {
            dataplanes.restore(CheckpointRecords.dataplane(Topics.DATAPLANE_STATE.deserialize(value)));
        }
    }

    @Override
    public void drop(int partition) {
        partitions.remove(partition);
        changed.remove(partition);
    }

    @Override
    public void process(ConsumerRecord<byte[], byte[]> record, Outputs out) {
        Event event = decode(record);
        DataplaneChanges changes = partitions.computeIfAbsent(record.partition(), p -> new Dataplanes()).apply(event);
        if (changes.stateChanged()) {
            changed.computeIfAbsent(record.partition(), p -> new LinkedHashSet<>()).add(event.dataplane());
        }
        for (InboundChange inbound : changes.inbound()) {
            out.send(Topics.INBOUND_HEALTH, inbound.entityKey(), Topics.INBOUND_HEALTH.serialize(ChangeRecords.inbound(inbound)));
            if (inbound.isTombstone()) {
                out.send(Topics.INBOUND_HEALTH, inbound.entityKey(), null);
            }
        }
        if (changes.proxy() != null) {
            String key = changes.proxy().entityKey();
            out.send(Topics.PROXY_HEALTH, key, Topics.PROXY_HEALTH.serialize(ChangeRecords.proxy(changes.proxy())));
            if (changes.proxy().isTombstone()) {
                out.send(Topics.PROXY_HEALTH, key, null);
            }
        }
        for (MembershipChange membership : changes.membership()) {
            out.send(Topics.SERVICE_MEMBERSHIP, membership.service().toString(),
                    Topics.SERVICE_MEMBERSHIP.serialize(ChangeRecords.membership(membership)));
        }
    }

    /** The record as an event, or why it cannot be one. */
    private Event decode(ConsumerRecord<byte[], byte[]> record) {
        DataplaneEvent value;
        try {
            value = Topics.DATAPLANE_EVENTS.deserialize(record.value());
        } catch (SerializationException e) {
            throw new PoisonRecordException("undecodable event: " + e.getMessage(), e);
        }
        if (value == null) {
            throw new PoisonRecordException("empty record: an event log record needs a value");
        }
        String expectedKey = KeyFormat.of(value.getMesh(), value.getDataplane());
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (!expectedKey.equals(key)) {
            // Another key may land on another partition: this dataplane's order would be lost.
            throw new PoisonRecordException("record key '" + key + "' is not the event's mesh/dataplane '" + expectedKey + "'");
        }
        try {
            return events.toEvent(value, new Source(record.topic(), record.partition(), record.offset()));
        } catch (InvalidEventException e) {
            throw new PoisonRecordException("invalid event: " + e.getMessage(), e);
        }
    }

    @Override
    public void endBatch(Outputs out) {
        for (Map.Entry<Integer, Set<DataplaneKey>> entry : changed.entrySet()) {
            Dataplanes dataplanes = partitions.get(entry.getKey());
            for (DataplaneKey key : entry.getValue()) {
                DataplaneState state = dataplanes == null ? null : dataplanes.get(key);
                out.send(Topics.DATAPLANE_STATE, entry.getKey(), key.toString(),
                        state == null ? null : Topics.DATAPLANE_STATE.serialize(CheckpointRecords.dataplane(state)));
            }
        }
        changed.clear();
    }
}
