package io.vigil.schemas;

import io.vigil.avro.DataplaneEvent;

/** {@link AvroSerde} of {@link DataplaneEvent}, the value of {@link Topics#DATAPLANE_EVENTS}; Kafka config can name this class. */
public final class DataplaneEventSerde extends AvroSerde<DataplaneEvent> {

    public DataplaneEventSerde() {
        super(DataplaneEvent.class);
    }
}
