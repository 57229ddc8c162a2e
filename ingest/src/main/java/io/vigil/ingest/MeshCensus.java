package io.vigil.ingest;

import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.DataplaneUpserted;
import io.vigil.schemas.DataplaneKey;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The optional cap on dataplanes per mesh ({@code vigil.ingest.limits.max-dataplanes-per-mesh}):
 * knows every mesh's dataplanes from {@code vigil.dataplane-specs} (stage 1's current spec of each
 * dataplane, a tombstone once deleted; {@code read_committed}, every partition, from the
 * beginning, then following) and refuses a request whose upserts of new dataplanes would take a
 * mesh past the cap. The count trails the event log by stage 1's commit interval, so requests in
 * flight at once may pass the cap by what they hold together; it is a guard against a runaway
 * tenant, not an exact quota.
 *
 * <p>Threading: the spec topic is followed on a thread of its own from {@link #start};
 * {@link #refusal}, {@link #caughtUp} and {@link #close} may be called from any thread.
 */
public final class MeshCensus implements AutoCloseable {

    private final int maxPerMesh;
    private final Map<String, Set<String>> dataplanes = new ConcurrentHashMap<>();
    private final CompactedTopicFollower specs;

    public MeshCensus(KafkaClients clients, int maxPerMesh) {
        if (maxPerMesh < 1) {
            throw new IllegalArgumentException("vigil.ingest.limits.max-dataplanes-per-mesh must be at least 1, got " + maxPerMesh);
        }
        this.maxPerMesh = maxPerMesh;
        this.specs = new CompactedTopicFollower(clients, Topics.DATAPLANE_SPECS.name(), "vigil-ingest-census", this::apply,
                "new dataplanes are refused until ingest restarts");
    }

    public MeshCensus start() {
        specs.start();
        return this;
    }

    /** Whether the census has read the spec topic up to where it ended at start. */
    public boolean caughtUp() {
        return specs.caughtUp();
    }

    /**
     * Why {@code events} may not be written, or null when they may: the new dataplanes their
     * upserts name, added to those their mesh has, must stay within the cap.
     */
    public String refusal(List<DataplaneEvent> events) {
        Map<String, Set<String>> added = new TreeMap<>();
        for (DataplaneEvent event : events) {
            Set<String> known = dataplanes.getOrDefault(event.getMesh(), Set.of());
            if (event.getPayload() instanceof DataplaneUpserted && !known.contains(event.getDataplane())) {
                added.computeIfAbsent(event.getMesh(), mesh -> new TreeSet<>()).add(event.getDataplane());
            }
        }
        for (Map.Entry<String, Set<String>> mesh : added.entrySet()) {
            int has = dataplanes.getOrDefault(mesh.getKey(), Set.of()).size();
            if (has + mesh.getValue().size() > maxPerMesh) {
                return "mesh " + mesh.getKey() + " has " + has + " dataplanes and this request adds " + mesh.getValue().size()
                        + ", over the cap of " + maxPerMesh + " (vigil.ingest.limits.max-dataplanes-per-mesh); delete some first";
            }
        }
        return null;
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        DataplaneKey key;
        try {
            key = DataplaneKey.parse(new String(record.key(), StandardCharsets.UTF_8));
        } catch (RuntimeException poison) {
            // Only stage 1 writes this topic; a record it cannot have written names no dataplane.
            return;
        }
        if (record.value() == null) {
            dataplanes.computeIfPresent(key.mesh(), (mesh, names) -> {
                names.remove(key.name());
                return names.isEmpty() ? null : names;
            });
        } else {
            dataplanes.computeIfAbsent(key.mesh(), mesh -> ConcurrentHashMap.newKeySet()).add(key.name());
        }
    }

    /** Stops following the spec topic. */
    @Override
    public void close() {
        specs.close();
    }
}
