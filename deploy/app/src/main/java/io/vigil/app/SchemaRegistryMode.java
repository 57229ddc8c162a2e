package io.vigil.app;

import io.quarkus.runtime.StartupEvent;
import io.vigil.schemas.AvroSerde;
import io.vigil.schemas.Topics;
import io.vigil.schemas.WireFormat;
import io.vigil.schemas.registry.RegistryWireFormat;
import io.vigil.schemas.registry.SchemaRegistry;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Registry mode ({@code vigil.schema-registry.url}): at start-up, before any role runs, registers
 * the product topics' schemas and points every serde of the process at the registry for reading;
 * a registry that is unreachable or refuses a schema fails start-up with its reason. Without a URL
 * it does nothing and the stages write single-object encoding. Thread-safe: the wire format is
 * set once on the start-up thread, before the roles' threads exist, and read through a volatile.
 */
@ApplicationScoped
public class SchemaRegistryMode {

    private static final Logger LOG = Logger.getLogger(SchemaRegistryMode.class);

    private final Optional<String> url;
    private volatile WireFormat wireFormat = WireFormat.SINGLE_OBJECT;

    @Inject
    SchemaRegistryMode(VigilConfig config) {
        this(config.schemaRegistry().url());
    }

    SchemaRegistryMode(Optional<String> url) {
        this.url = url;
    }

    /** Before {@link Roles} starts the roles, which observe at the default priority. */
    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        start();
    }

    /**
     * @throws io.vigil.schemas.registry.SchemaRegistryException when the registry is unreachable or refuses a schema
     * @throws IllegalArgumentException when the URL is not an http(s) URL
     */
    void start() {
        url.ifPresent(given -> {
            SchemaRegistry registry = SchemaRegistry.at(given);
            wireFormat = RegistryWireFormat.register(registry, Topics.PRODUCT);
            AvroSerde.readRegistryFramesFrom(registry);
            LOG.infof("schema registry %s: the schemas of %s are registered; their values are written in the registry wire format",
                    registry, Topics.PRODUCT);
        });
    }

    /** How the aggregator's stages write their values. */
    public WireFormat wireFormat() {
        return wireFormat;
    }
}
