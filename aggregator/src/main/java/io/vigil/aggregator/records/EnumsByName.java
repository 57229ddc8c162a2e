package io.vigil.aggregator.records;

import io.vigil.aggregator.core.Environment;
import io.vigil.aggregator.core.HealthStatus;
import java.lang.reflect.Array;

/**
 * The rules' enums as the Avro records' enums of the same names, and back. Each mapping is looked
 * up by ordinal: {@code Enum.valueOf(name())} hashes the name on every change and checkpoint.
 * Immutable and thread-safe.
 *
 * @param <F> the enum mapped from
 * @param <T> the enum of the same names mapped to
 */
final class EnumsByName<F extends Enum<F>, T extends Enum<T>> {

    static final EnumsByName<HealthStatus, io.vigil.avro.HealthStatus> STATUS_TO_AVRO =
            new EnumsByName<>(HealthStatus.class, io.vigil.avro.HealthStatus.class);
    static final EnumsByName<io.vigil.avro.HealthStatus, HealthStatus> STATUS_FROM_AVRO =
            new EnumsByName<>(io.vigil.avro.HealthStatus.class, HealthStatus.class);
    static final EnumsByName<Environment, io.vigil.avro.Environment> ENVIRONMENT_TO_AVRO =
            new EnumsByName<>(Environment.class, io.vigil.avro.Environment.class);
    static final EnumsByName<io.vigil.avro.Environment, Environment> ENVIRONMENT_FROM_AVRO =
            new EnumsByName<>(io.vigil.avro.Environment.class, Environment.class);

    private final T[] byOrdinal;

    /** @throws IllegalArgumentException if {@code to} lacks a name of {@code from} */
    EnumsByName(Class<F> from, Class<T> to) {
        F[] values = from.getEnumConstants();
        @SuppressWarnings("unchecked") // an array of the enum class
        T[] mapped = (T[]) Array.newInstance(to, values.length);
        for (F value : values) {
            mapped[value.ordinal()] = Enum.valueOf(to, value.name());
        }
        this.byOrdinal = mapped;
    }

    /** The value of the same name; null stays null. */
    T map(F value) {
        return value == null ? null : byOrdinal[value.ordinal()];
    }
}
