package io.vigil.aggregator.core;

import java.util.List;

/** What one dataplane contributes to one of its services: its status and its ready inbounds there. */
public record MemberView(HealthStatus status, List<Endpoint> endpoints) {

    public MemberView {
        endpoints = List.copyOf(endpoints);
    }
}
