package io.vigil.aggregator.core;

/** The open xDS stream of a proxy; at most one is open at a time (Kuma's {@code finalizeSubscriptions}). */
public record Subscription(String instance, String stream) {

    static Subscription openedBy(StreamConnected connected) {
        return new Subscription(connected.instance(), connected.stream());
    }

    /**
     * Whether a disconnect names this subscription: by stream id when both carry one, else by
     * control-plane instance. Anything else is a stale disconnect from an older stream.
     */
    boolean closedBy(StreamDisconnected disconnected) {
        if (stream != null && disconnected.stream() != null) {
            return stream.equals(disconnected.stream());
        }
        return instance.equals(disconnected.instance());
    }
}
