package io.vigil.schemas;

/**
 * How a writer frames the values it sends to a topic. The serdes always produce Avro single-object
 * encoding; a wire format may rewrite its 10-byte header for the topics downstream tooling reads
 * (registry mode, {@link io.vigil.schemas.registry.RegistryWireFormat}). Implementations are
 * immutable and thread-safe.
 */
@FunctionalInterface
public interface WireFormat {

    /** Values as the serdes write them: single-object encoded on every topic (vigil's default). */
    WireFormat SINGLE_OBJECT = (topic, value) -> value;

    /** {@code value}, single-object encoded or null (a tombstone stays null), as it goes on {@code topic}. */
    byte[] value(Topic<?> topic, byte[] value);
}
