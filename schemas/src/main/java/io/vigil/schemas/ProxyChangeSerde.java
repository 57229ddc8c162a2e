package io.vigil.schemas;

import io.vigil.avro.ProxyChange;

/** {@link AvroSerde} of {@link ProxyChange}, the value of {@link Topics#PROXY_HEALTH}; Kafka config can name this class. */
public final class ProxyChangeSerde extends AvroSerde<ProxyChange> {

    public ProxyChangeSerde() {
        super(ProxyChange.class);
    }
}
