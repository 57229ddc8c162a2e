package io.vigil.schemas;

import io.vigil.avro.InboundChange;

/** {@link AvroSerde} of {@link InboundChange}, the value of {@link Topics#INBOUND_HEALTH}; Kafka config can name this class. */
public final class InboundChangeSerde extends AvroSerde<InboundChange> {

    public InboundChangeSerde() {
        super(InboundChange.class);
    }
}
