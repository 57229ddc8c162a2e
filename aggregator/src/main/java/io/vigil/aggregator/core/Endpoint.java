package io.vigil.aggregator.core;

import java.util.Comparator;

/** A ready inbound in its service's load-balancing set. */
public record Endpoint(String dataplane, String address, int port) {

    /** SPEC section 5: endpoints by dataplane, then port. */
    public static final Comparator<Endpoint> ORDER =
            Comparator.comparing(Endpoint::dataplane).thenComparingInt(Endpoint::port);
}
