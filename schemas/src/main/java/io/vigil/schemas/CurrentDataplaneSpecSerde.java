package io.vigil.schemas;

import io.vigil.avro.CurrentDataplaneSpec;

/** {@link AvroSerde} of {@link CurrentDataplaneSpec}, the value of {@link Topics#DATAPLANE_SPECS}; Kafka config can name this class. */
public final class CurrentDataplaneSpecSerde extends AvroSerde<CurrentDataplaneSpec> {

    public CurrentDataplaneSpecSerde() {
        super(CurrentDataplaneSpec.class);
    }
}
