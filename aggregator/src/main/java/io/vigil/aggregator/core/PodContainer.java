package io.vigil.aggregator.core;

import java.util.List;

/** A container of the pod behind a Kubernetes dataplane, with the ports it declares. */
public record PodContainer(String name, boolean ready, List<Integer> ports) {

    public PodContainer {
        ports = List.copyOf(ports);
    }
}
