package io.vigil.bench;

/**
 * One tracked flip of {@link EndToEndLatencyBenchmark} as the benchmark saw it, in epoch
 * milliseconds (the clock Kafka's record timestamps use on this machine), and the end-to-end
 * latency the benchmark has always reported, from the {@code 202} to the view (on the monotonic clock).
 *
 * @param id           the flip event's id, which its change record names as its cause
 * @param sent         just before the request was sent
 * @param acknowledged when its {@code 202} arrived
 * @param viewed       when the REST view first showed the flip
 * @param fromAccepted milliseconds from the {@code 202} to the view
 */
record FlipTimes(String id, long sent, long acknowledged, long viewed, double fromAccepted) {
}
