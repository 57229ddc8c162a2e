package io.vigil.app;

import io.smallrye.reactive.messaging.kafka.Record;
import io.vigil.avro.DataplaneEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Test bean: writes events to the event log topic and reads them back, through SmallRye Reactive Messaging. */
@ApplicationScoped
public class DataplaneEventRelay {

    @Inject
    @Channel("dataplane-events-out")
    Emitter<Record<String, DataplaneEvent>> out;

    private final Map<String, DataplaneEvent> received = new ConcurrentHashMap<>();

    /** Completes once Kafka has acknowledged the record. */
    CompletionStage<Void> send(String key, DataplaneEvent event) {
        return out.send(Record.of(key, event));
    }

    @Incoming("dataplane-events-in")
    void receive(Record<String, DataplaneEvent> record) {
        // Other tests share the topic, some with undecodable records: those arrive with a null value.
        if (record.key() != null && record.value() != null) {
            received.put(record.key(), record.value());
        }
    }

    Optional<DataplaneEvent> received(String key) {
        return Optional.ofNullable(received.get(key));
    }
}
