package io.vigil.ingest.prober;

import java.net.InetSocketAddress;
import reactor.core.publisher.Mono;

/**
 * One kind of active check of a workload. Implementations do not block the subscribing thread,
 * turn every failure into an unhealthy outcome (the Mono never errors), and release what they
 * opened when cancelled, which is how the caller's timeout ends a check.
 */
public interface WorkloadCheck {

    /** Checks the workload of {@code target}, already resolved and allowed, at {@code workload}. */
    Mono<CheckOutcome> check(InetSocketAddress workload, ProbeTarget target);
}
