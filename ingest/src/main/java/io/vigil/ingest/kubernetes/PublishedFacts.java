package io.vigil.ingest.kubernetes;

import io.vigil.avro.DataplaneEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last fact published per dataplane, so that an informer's resync, or a pod update that changes
 * nothing vigil reads (labels, conditions' timestamps), does not append to the event log.
 * Thread-safe: informer threads claim, Kafka's producer thread releases.
 */
final class PublishedFacts {

    private final Map<String, Object> lastPayload = new ConcurrentHashMap<>();

    /** True, and remembered as published, when {@code event} says something new about its dataplane. */
    boolean claim(DataplaneEvent event) {
        Object previous = lastPayload.put(PodTranslator.key(event), event.getPayload());
        return !event.getPayload().equals(previous);
    }

    /** Forgets {@code event} if it is still the dataplane's last fact, so the next observation publishes again. */
    void release(DataplaneEvent event) {
        lastPayload.remove(PodTranslator.key(event), event.getPayload());
    }

    int size() {
        return lastPayload.size();
    }
}
