package io.vigil.aggregator.core;

/** Where an event was read: a Kafka record position, or a line of a file ({@code partition} -1). */
public record Source(String topic, int partition, long offset) {
}
