package io.vigil.ingest;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The ingest side's writes to the event log, {@link Topics#DATAPLANE_EVENTS}: the REST intake, the
 * prober's results and the pod watcher's facts go through SmallRye Reactive Messaging's Kafka
 * connector on channel {@value #CHANNEL}, keyed {@code mesh/dataplane} so a dataplane's facts keep
 * their order. The channel's producer is idempotent with {@code acks=all}
 * (META-INF/microprofile-config.properties of this module) and takes every other client property
 * from the same {@code kafka.*} configuration as vigil's own clients.
 *
 * <p>Thread-safe: the emitter may be called from any thread; the connector sends in emission
 * order from its own sending thread, and completes each message's acknowledgement when Kafka has it.
 */
@ApplicationScoped
public class EventLog implements EventSink {

    /** The outgoing channel to the event log. */
    public static final String CHANNEL = "dataplane-events";

    private final MutinyEmitter<DataplaneEvent> emitter;

    /** The buffer holds a burst of requests while the connector waits for in-flight acknowledgements. */
    EventLog(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16_384) MutinyEmitter<DataplaneEvent> emitter) {
        this.emitter = emitter;
    }

    /** Completes once Kafka acknowledged every event, or exceptionally with the first failure. */
    @Override
    public CompletableFuture<Void> append(List<DataplaneEvent> events) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[events.size()];
        for (int i = 0; i < events.size(); i++) {
            DataplaneEvent event = events.get(i);
            Message<DataplaneEvent> message = Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(KeyFormat.of(event.getMesh(), event.getDataplane())).build());
            acks[i] = emitter.sendMessage(message).subscribeAsCompletionStage();
        }
        return CompletableFuture.allOf(acks);
    }
}
