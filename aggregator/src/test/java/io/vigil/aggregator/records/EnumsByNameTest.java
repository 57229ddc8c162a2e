package io.vigil.aggregator.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.aggregator.core.Environment;
import io.vigil.aggregator.core.HealthStatus;
import org.junit.jupiter.api.Test;

class EnumsByNameTest {

    @Test
    void mapsEveryValueToTheOneOfItsNameAndBack() {
        for (HealthStatus status : HealthStatus.values()) {
            io.vigil.avro.HealthStatus avro = EnumsByName.STATUS_TO_AVRO.map(status);
            assertThat(avro.name()).isEqualTo(status.name());
            assertThat(EnumsByName.STATUS_FROM_AVRO.map(avro)).isSameAs(status);
        }
        for (Environment environment : Environment.values()) {
            io.vigil.avro.Environment avro = EnumsByName.ENVIRONMENT_TO_AVRO.map(environment);
            assertThat(avro.name()).isEqualTo(environment.name());
            assertThat(EnumsByName.ENVIRONMENT_FROM_AVRO.map(avro)).isSameAs(environment);
        }
        assertThat(io.vigil.avro.HealthStatus.values()).hasSameSizeAs(HealthStatus.values());
        assertThat(io.vigil.avro.Environment.values()).hasSameSizeAs(Environment.values());
    }

    @Test
    void nullStaysNull() {
        assertThat(EnumsByName.STATUS_TO_AVRO.map(null)).isNull();
        assertThat(EnumsByName.ENVIRONMENT_FROM_AVRO.map(null)).isNull();
    }

    @Test
    void anEnumWithoutANameOfTheOtherIsRefused() {
        assertThatThrownBy(() -> new EnumsByName<>(Thread.State.class, HealthStatus.class))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
