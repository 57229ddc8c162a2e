package io.vigil.ingest.kubernetes;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the pod watcher watches.
 *
 * @param namespaces    the namespaces to watch; empty means every namespace
 * @param labelSelector only pods matching this Kubernetes label selector, when given
 * @param resync        how often the informers replay their whole store (a fact whose write failed is retried then)
 */
public record PodWatcherSettings(List<String> namespaces, Optional<String> labelSelector, Duration resync) {

    public PodWatcherSettings {
        namespaces = List.copyOf(namespaces);
        if (resync.isNegative()) {
            throw new IllegalArgumentException("resync must not be negative, got " + resync);
        }
    }
}
