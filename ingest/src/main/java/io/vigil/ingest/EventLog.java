package io.vigil.ingest;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.RecordTracing;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The ingest side's writes to the event log, {@link Topics#DATAPLANE_EVENTS}: the REST intake, the
 * prober's results and the pod watcher's facts go through SmallRye Reactive Messaging's Kafka
 * connector on channel {@value #CHANNEL}, keyed {@code mesh/dataplane} so a dataplane's facts keep
 * their order. The channel's producer is idempotent with {@code acks=all}
 * (META-INF/microprofile-config.properties of this module) and takes every other client property
 * from the same {@code kafka.*} configuration as vigil's own clients.
 *
 * <p>When tracing is on and the caller is in a trace (a POST), each record is sent in a span of
 * its own ({@code send vigil.dataplane-events}, ended when Kafka has the record) whose context the
 * record carries in its headers, for the stages to continue.
 *
 * <p>Thread-safe: the emitter may be called from any thread; the connector sends in emission
 * order from its own sending thread, and completes each message's acknowledgement when Kafka has it.
 */
@ApplicationScoped
public class EventLog implements EventSink {

    /** The outgoing channel to the event log. */
    public static final String CHANNEL = "dataplane-events";

    private final MutinyEmitter<DataplaneEvent> emitter;
    private final RecordTracing tracing;

    /** The buffer holds a burst of requests while the connector waits for in-flight acknowledgements. */
    EventLog(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16_384) MutinyEmitter<DataplaneEvent> emitter,
             RecordTracing tracing) {
        this.emitter = emitter;
        this.tracing = tracing;
    }

    /** Completes once Kafka acknowledged every event, or exceptionally with the first failure. */
    @Override
    public CompletableFuture<Void> append(List<DataplaneEvent> events) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[events.size()];
        Context caller = Context.current();
        for (int i = 0; i < events.size(); i++) {
            DataplaneEvent event = events.get(i);
            OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(KeyFormat.of(event.getMesh(), event.getDataplane()));
            Span send = tracing.send(caller, Topics.DATAPLANE_EVENTS.name());
            if (send.getSpanContext().isValid()) {
                RecordHeaders headers = new RecordHeaders();
                tracing.inject(caller.with(send), headers);
                metadata.withHeaders(headers);
            }
            CompletableFuture<Void> ack = emitter.sendMessage(Message.of(event).addMetadata(metadata.build())).subscribeAsCompletionStage();
            if (send.getSpanContext().isValid()) {
                ack.whenComplete((sent, failure) -> ended(send, failure));
            }
            acks[i] = ack;
        }
        return CompletableFuture.allOf(acks);
    }

    private static void ended(Span send, Throwable failure) {
        if (failure != null) {
            send.setStatus(StatusCode.ERROR, failure.toString());
        }
        send.end();
    }
}
