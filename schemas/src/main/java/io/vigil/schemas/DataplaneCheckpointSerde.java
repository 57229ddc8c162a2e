package io.vigil.schemas;

import io.vigil.avro.DataplaneCheckpoint;

/** {@link AvroSerde} of {@link DataplaneCheckpoint}, the value of {@link Topics#DATAPLANE_STATE}; Kafka config can name this class. */
public final class DataplaneCheckpointSerde extends AvroSerde<DataplaneCheckpoint> {

    public DataplaneCheckpointSerde() {
        super(DataplaneCheckpoint.class);
    }
}
