package io.vigil.aggregator.core;

/**
 * The open xDS stream of a proxy; at most one is open at a time (Kuma's {@code finalizeSubscriptions}).
 * Public so the prober stops probing exactly when the aggregator sees the proxy disconnect.
 */
public record Subscription(String instance, String stream) {

    public static Subscription openedBy(StreamConnected connected) {
        return new Subscription(connected.instance(), connected.stream());
    }

    /**
     * Whether a disconnect names this subscription: by stream id when both carry one, else by
     * control-plane instance. Anything else is a stale disconnect from an older stream.
     */
    public boolean closedBy(StreamDisconnected disconnected) {
        if (stream != null && disconnected.stream() != null) {
            return stream.equals(disconnected.stream());
        }
        return instance.equals(disconnected.instance());
    }
}
