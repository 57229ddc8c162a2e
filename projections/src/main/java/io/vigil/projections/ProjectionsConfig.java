package io.vigil.projections;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The projections role's {@code vigil.projections.*} settings, a group of the application's one
 * configuration mapping (which provides this bean); README.md lists each.
 */
public interface ProjectionsConfig {

    Stream stream();

    History history();

    /** {@code GET /api/v1/changes}. */
    interface Stream {

        /** Changes a client may be behind before its stream ends with {@code event: dropped}. */
        @WithDefault("1000")
        int buffer();

        /** Streams open at once; more get 503. */
        @WithDefault("256")
        int maxClients();

        /**
         * Resuming streams catching up at once, each with a thread and a Kafka consumer of its own;
         * another resume gets 503 with {@code Retry-After} (streams that start at the present are not counted).
         */
        @WithDefault("4")
        int maxConcurrentCatchUps();

        /**
         * How far behind a resume point may be (in change-topic offsets, transaction markers
         * included) and still be replayed; a resume further behind ends with {@code event: dropped}
         * saying to re-read the state and giving the cursor of the present to continue from.
         */
        @WithDefault("100000")
        long maxCatchUpChanges();

        /** How often an idle stream gets a {@code : keepalive} comment, so proxies do not cut it. */
        @WithDefault("PT15S")
        Duration keepalive();

        /**
         * How often a live stream that was sent no change meanwhile gets a {@code bookmark} event
         * with its cursor, which moves past the changes its filters skip.
         */
        @WithDefault("PT30S")
        Duration bookmarkInterval();
    }

    /** {@code GET /api/v1/meshes/{mesh}/{dataplanes|services}/{name}/history}. */
    interface History {

        /** History reads at once, each with a Kafka consumer of its own; more get 429 with {@code Retry-After}. */
        @WithDefault("4")
        int maxConcurrentReads();

        /** Records one history request examines at most; past it the answer is truncated with a {@code next} cursor. */
        @WithDefault("100000")
        int maxScannedRecords();
    }
}
