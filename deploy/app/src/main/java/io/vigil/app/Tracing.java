package io.vigil.app;

import io.opentelemetry.api.OpenTelemetry;
import io.vigil.schemas.kafka.RecordTracing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether vigil traces its records: on when the OpenTelemetry SDK is ({@code vigil serve
 * --otlp-endpoint} turns it on), {@link RecordTracing#OFF} otherwise, so that with tracing off the
 * stages and the views do no tracing work per record at all.
 */
@ApplicationScoped
class Tracing {

    /** The instrumentation scope of vigil's own spans. */
    static final String SCOPE = "io.vigil";

    @Produces
    @Singleton
    RecordTracing recordTracing(@ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean disabled, Instance<OpenTelemetry> openTelemetry) {
        return disabled ? RecordTracing.OFF : RecordTracing.of(openTelemetry.get(), SCOPE);
    }
}
