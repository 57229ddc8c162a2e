package io.vigil.aggregator.runtime;

import io.vigil.aggregator.core.DataplaneChanges;
import io.vigil.aggregator.core.DataplaneState;
import io.vigil.aggregator.core.Dataplanes;
import io.vigil.aggregator.core.Event;
import io.vigil.aggregator.core.InboundChange;
import io.vigil.aggregator.core.MembershipChange;
import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.core.Source;
import io.vigil.aggregator.core.SpecView;
import io.vigil.aggregator.records.ChangeRecords;
import io.vigil.aggregator.records.CheckpointRecords;
import io.vigil.aggregator.records.EventRecords;
import io.vigil.aggregator.records.InvalidEventException;
import io.vigil.aggregator.records.SpecRecords;
import io.vigil.avro.DataplaneCheckpoint;
import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.DataplaneKey;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Topic;
import io.vigil.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Aggregator stage 1, keyed by dataplane. Input {@link Topics#DATAPLANE_EVENTS}; outputs
 * {@link Topics#INBOUND_HEALTH}, {@link Topics#PROXY_HEALTH}, {@link Topics#SERVICE_MEMBERSHIP}
 * and {@link Topics#DATAPLANE_SPECS}; changelog {@link Topics#DATAPLANE_STATE}. A tombstone change
 * is followed by a Kafka tombstone (null value) of the same key, so compaction eventually forgets
 * the entity.
 *
 * <p>The spec topic gets a dataplane's {@link SpecView} at the end of every transaction in which
 * what it publishes changed (an upsert that changes the spec or its tags, a connection opened or
 * closed, a drain), or a tombstone when the dataplane was deleted, on the input record's partition
 * like the changelog. Like the changelog it is coalesced per transaction: a new dataplane's upsert
 * and connect in one batch make one record. Probe results, inbound health and pod readiness cannot
 * change it and are not looked at.
 *
 * <p>Upgrade: a dataplane restored from a checkpoint written before the spec topic existed
 * ({@code specPublished} false) has its spec published once after the restore, in the transaction
 * that first rewrites its checkpoint, or else among at most {@value #BACKFILL_PER_BATCH} per
 * transaction (so the upgrade of a large fleet does not become one huge transaction); the rewritten
 * checkpoint says {@code specPublished}. Such checkpoints carry no tags, so until the dataplane's
 * next upsert its published tags are just {@code kuma.io/service}.
 *
 * <p>Not thread-safe: driven by its {@link StageRunner}'s thread.
 */
public final class DataplaneStage implements StageLogic {

    /** How many restored dataplanes at most get their spec published per transaction after an upgrade. */
    static final int BACKFILL_PER_BATCH = 5_000;

    private static final System.Logger LOG = System.getLogger(DataplaneStage.class.getName());

    private final EventRecords events;
    private final Map<Integer, Dataplanes> partitions = new HashMap<>();
    private final Map<Integer, Set<DataplaneKey>> changed = new HashMap<>();
    /** Per partition: restored dataplanes whose spec is not on the spec topic yet (checkpoints older than it). */
    private final Map<Integer, Set<DataplaneKey>> unpublished = new HashMap<>();
    /**
     * Per partition: the spec view, as the spec topic shows it (null: none), that each dataplane
     * which got a spec-changing event in this batch had at the start of the batch.
     */
    private final Map<Integer, Map<DataplaneKey, SpecView>> specsBefore = new HashMap<>();

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
            DataplaneKey forgotten = DataplaneKey.parse(new String(key, StandardCharsets.UTF_8));
            dataplanes.forget(forgotten);
            published(partition, forgotten);
            return;
        }
        DataplaneCheckpoint checkpoint = Topics.DATAPLANE_STATE.deserialize(value);
        DataplaneState state = CheckpointRecords.dataplane(checkpoint);
        dataplanes.restore(state);
        if (checkpoint.getSpecPublished() || state.spec() == null) {
            published(partition, state.key());
        } else {
            unpublished.computeIfAbsent(partition, p -> new LinkedHashSet<>()).add(state.key());
        }
    }

    @Override
    public void drop(int partition) {
        partitions.remove(partition);
        changed.remove(partition);
        unpublished.remove(partition);
        specsBefore.remove(partition);
    }

    @Override
    public void process(ConsumerRecord<byte[], byte[]> record, Outputs out) {
        Event event = decode(record);
        Dataplanes dataplanes = partitions.computeIfAbsent(record.partition(), p -> new Dataplanes());
        // Checked first, so the probe results that make up most of the log build nothing here.
        if (SpecView.canChange(event.payload())) {
            Map<DataplaneKey, SpecView> before = specsBefore.computeIfAbsent(record.partition(), p -> new HashMap<>());
            if (!before.containsKey(event.dataplane())) {
                before.put(event.dataplane(), SpecView.of(dataplanes.get(event.dataplane())));
            }
        }
        DataplaneChanges changes = dataplanes.apply(event);
        if (changes.stateChanged()) {
            changed.computeIfAbsent(record.partition(), p -> new LinkedHashSet<>()).add(event.dataplane());
        }
        for (InboundChange inbound : changes.inbound()) {
            out.sendChange(Topics.INBOUND_HEALTH, inbound, Topics.INBOUND_HEALTH.serialize(ChangeRecords.inbound(inbound)));
        }
        if (changes.proxy() != null) {
            out.sendChange(Topics.PROXY_HEALTH, changes.proxy(), Topics.PROXY_HEALTH.serialize(ChangeRecords.proxy(changes.proxy())));
        }
        for (MembershipChange membership : changes.membership()) {
            out.send(Topics.SERVICE_MEMBERSHIP, membership.service().toString(),
                    Topics.SERVICE_MEMBERSHIP.serialize(ChangeRecords.membership(membership)));
        }
    }

    /** A dataplane's spec, or a tombstone for {@code null}, to the spec topic's {@code partition}. */
    private static void send(Outputs out, int partition, DataplaneKey key, SpecView spec) {
        out.send(Topics.DATAPLANE_SPECS, partition, key.toString(),
                spec == null ? null : Topics.DATAPLANE_SPECS.serialize(SpecRecords.spec(spec)));
    }

    private void published(int partition, DataplaneKey key) {
        Set<DataplaneKey> keys = unpublished.get(partition);
        if (keys != null) {
            keys.remove(key);
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
        for (Map.Entry<Integer, Map<DataplaneKey, SpecView>> entry : specsBefore.entrySet()) {
            Dataplanes dataplanes = partitions.get(entry.getKey());
            for (Map.Entry<DataplaneKey, SpecView> before : entry.getValue().entrySet()) {
                SpecView after = dataplanes == null ? null : SpecView.of(dataplanes.get(before.getKey()));
                if (!SpecView.samePublished(before.getValue(), after)) {
                    send(out, entry.getKey(), before.getKey(), after);
                    published(entry.getKey(), before.getKey());
                }
            }
        }
        specsBefore.clear();
        if (!unpublished.isEmpty()) {
            backfill(out);
        }
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

    /**
     * Publishes the specs of restored dataplanes that have none on the spec topic yet: every one
     * whose checkpoint this batch rewrites (the new checkpoint says {@code specPublished}), and up
     * to {@link #BACKFILL_PER_BATCH} more, whose checkpoints are then rewritten too.
     */
    private void backfill(Outputs out) {
        int budget = BACKFILL_PER_BATCH;
        for (Iterator<Map.Entry<Integer, Set<DataplaneKey>>> partitionsLeft = unpublished.entrySet().iterator(); partitionsLeft.hasNext(); ) {
            Map.Entry<Integer, Set<DataplaneKey>> entry = partitionsLeft.next();
            int partition = entry.getKey();
            Set<DataplaneKey> keys = entry.getValue();
            Dataplanes dataplanes = partitions.get(partition);
            Set<DataplaneKey> rewritten = changed.computeIfAbsent(partition, p -> new LinkedHashSet<>());
            for (DataplaneKey key : rewritten) {
                if (keys.remove(key)) {
                    backfill(out, partition, dataplanes, key);
                }
            }
            for (Iterator<DataplaneKey> left = keys.iterator(); left.hasNext() && budget > 0; budget--) {
                DataplaneKey key = left.next();
                left.remove();
                backfill(out, partition, dataplanes, key);
                rewritten.add(key);
            }
            if (keys.isEmpty()) {
                partitionsLeft.remove();
                LOG.log(System.Logger.Level.INFO, "aggregator stage " + name() + " published the spec of every dataplane restored"
                        + " from partition " + partition + " of " + Topics.DATAPLANE_STATE + " that had none on " + Topics.DATAPLANE_SPECS);
            }
        }
    }

    private static void backfill(Outputs out, int partition, Dataplanes dataplanes, DataplaneKey key) {
        SpecView spec = dataplanes == null ? null : SpecView.of(dataplanes.get(key));
        if (spec != null) {
            send(out, partition, key, spec);
        }
    }
}
