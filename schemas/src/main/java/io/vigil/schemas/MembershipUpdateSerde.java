package io.vigil.schemas;

import io.vigil.avro.MembershipUpdate;

/** {@link AvroSerde} of {@link MembershipUpdate}, the value of {@link Topics#SERVICE_MEMBERSHIP}; Kafka config can name this class. */
public final class MembershipUpdateSerde extends AvroSerde<MembershipUpdate> {

    public MembershipUpdateSerde() {
        super(MembershipUpdate.class);
    }
}
