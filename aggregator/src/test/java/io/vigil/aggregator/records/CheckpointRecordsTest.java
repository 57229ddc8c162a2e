package io.vigil.aggregator.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.aggregator.core.DataplaneState;
import io.vigil.aggregator.core.Dataplanes;
import io.vigil.aggregator.core.Event;
import io.vigil.aggregator.core.HealthChange;
import io.vigil.aggregator.core.ServiceFold;
import io.vigil.aggregator.core.ServiceState;
import io.vigil.avro.DataplaneCheckpoint;
import io.vigil.avro.ServiceCheckpoint;
import io.vigil.schemas.DataplaneCheckpointSerde;
import io.vigil.schemas.ServiceCheckpointSerde;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A state checkpointed (through the changelog serde) and restored at any point folds the rest of
 * the stream exactly as the uninterrupted state: same changes, same versions, same end state.
 */
class CheckpointRecordsTest {

    private final DataplaneCheckpointSerde dataplaneSerde = new DataplaneCheckpointSerde();
    private final ServiceCheckpointSerde serviceSerde = new ServiceCheckpointSerde();

    @Property(tries = 200)
    void aRestoredStateFoldsOnAsTheOriginal(@ForAll("streams") List<Event> events, @ForAll long seed) {
        int cut = events.isEmpty() ? 0 : new Random(seed).nextInt(events.size() + 1);
        Dataplanes original = new Dataplanes();
        ServiceFold originalServices = new ServiceFold();
        List<HealthChange> expected = fold(original, originalServices, events);

        Dataplanes first = new Dataplanes();
        ServiceFold firstServices = new ServiceFold();
        List<HealthChange> actual = fold(first, firstServices, events.subList(0, cut));
        Dataplanes restored = new Dataplanes();
        for (DataplaneState state : first.states()) {
            DataplaneCheckpoint record = dataplaneSerde.deserialize("t", dataplaneSerde.serialize("t", CheckpointRecords.dataplane(state)));
            restored.restore(CheckpointRecords.dataplane(record));
        }
        ServiceFold restoredServices = new ServiceFold();
        for (ServiceState state : firstServices.services()) {
            ServiceCheckpoint record = serviceSerde.deserialize("t", serviceSerde.serialize("t", CheckpointRecords.service(state)));
            restoredServices.restore(CheckpointRecords.service(record));
        }
        actual.addAll(fold(restored, restoredServices, events.subList(cut, events.size())));

        assertThat(actual).isEqualTo(expected);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<List<Event>> streams() {
        return io.vigil.aggregator.core.EventStreamsAccess.events(80);
    }

    private static List<HealthChange> fold(Dataplanes dataplanes, ServiceFold services, List<Event> events) {
        List<HealthChange> changes = new ArrayList<>();
        for (Event event : events) {
            var dp = dataplanes.apply(event);
            changes.addAll(dp.inbound());
            if (dp.proxy() != null) {
                changes.add(dp.proxy());
            }
            dp.membership().forEach(services::apply);
            changes.addAll(services.flush());
        }
        return changes;
    }
}
