package io.vigil.schemas;

import io.vigil.avro.ServiceCheckpoint;

/** {@link AvroSerde} of {@link ServiceCheckpoint}, the value of {@link Topics#SERVICE_STATE}; Kafka config can name this class. */
public final class ServiceCheckpointSerde extends AvroSerde<ServiceCheckpoint> {

    public ServiceCheckpointSerde() {
        super(ServiceCheckpoint.class);
    }
}
