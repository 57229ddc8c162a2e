package io.vigil.schemas;

import io.vigil.avro.ServiceChange;

/** {@link AvroSerde} of {@link ServiceChange}, the value of {@link Topics#SERVICE_HEALTH}; Kafka config can name this class. */
public final class ServiceChangeSerde extends AvroSerde<ServiceChange> {

    public ServiceChangeSerde() {
        super(ServiceChange.class);
    }
}
