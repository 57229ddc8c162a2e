package io.vigil.projections;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The projections role's {@code vigil.projections.*} settings, a group of the application's one
 * configuration mapping (which provides this bean); README.md lists each.
 */
public interface ProjectionsConfig {

    Stream stream();

    /** {@code GET /api/v1/changes}. */
    interface Stream {

        /** Changes a client may be behind before its stream ends with {@code event: dropped}. */
        @WithDefault("1000")
        int buffer();

        /** Streams open at once; more get 503. Each resuming one holds a Kafka consumer while it catches up. */
        @WithDefault("256")
        int maxClients();

        /** How often an idle stream gets a {@code : keepalive} comment, so proxies do not cut it. */
        @WithDefault("PT15S")
        Duration keepalive();
    }
}
