package io.vigil.aggregator.core;

/**
 * Where an event was read: a Kafka record's topic, partition and offset, or a file's name and
 * line number ({@code partition} null).
 */
public record Source(String topic, Integer partition, long offset) {
}
