package io.vigil.ingest;

import java.time.Duration;

/**
 * What one request to the write API may ask for.
 *
 * @param maxBodyBytes   the largest body ({@code 413} above)
 * @param maxEventBytes  the largest event as a Kafka record, key and value ({@code 413} above: such
 *                       an event could never be written); at most the producer's {@code max.request.size}
 * @param requestTimeout how long a request waits for Kafka to acknowledge all its events, together
 *                       ({@code 503} after)
 * @param events         what each event may hold ({@code 400} above)
 */
public record WriteLimits(long maxBodyBytes, int maxEventBytes, Duration requestTimeout, EventLimits events) {

    public WriteLimits {
        if (maxBodyBytes < 1 || maxEventBytes < 1) {
            throw new IllegalArgumentException("the body and event limits must be at least 1 byte");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the request timeout must be positive, got " + requestTimeout);
        }
    }
}
