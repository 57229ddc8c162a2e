package io.vigil.schemas;

import io.vigil.avro.ServiceEndpoints;

/** {@link AvroSerde} of {@link ServiceEndpoints}, the value of {@link Topics#SERVICE_ENDPOINTS}; Kafka config can name this class. */
public final class ServiceEndpointsSerde extends AvroSerde<ServiceEndpoints> {

    public ServiceEndpointsSerde() {
        super(ServiceEndpoints.class);
    }
}
