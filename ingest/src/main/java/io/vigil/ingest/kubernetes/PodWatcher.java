package io.vigil.ingest.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vigil.avro.DataplaneDeleted;
import io.vigil.avro.DataplaneEvent;
import io.vigil.ingest.EventSink;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * The {@code k8s-watcher} role's work: informers on the pods of the watched namespaces (all, or the
 * configured ones), publishing each Kuma pod's readiness, and its dataplane's deletion, to the event
 * log whenever what vigil reads of the pod changed.
 *
 * <p>Threading: {@link #start()} and {@link #close()} from any one thread; each informer calls its
 * handler on a thread of its own, one notification at a time, so a pod's facts are appended in the
 * order the API server reported them. Publication is asynchronous; a failed one is forgotten, so the
 * next resync publishes it again.
 */
public final class PodWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PodWatcher.class);

    private final KubernetesClient client;
    private final PodWatcherSettings settings;
    private final EventSink log;
    private final Clock clock;
    private final PublishedFacts published = new PublishedFacts();
    private final List<SharedIndexInformer<Pod>> informers = new CopyOnWriteArrayList<>();

    public PodWatcher(KubernetesClient client, PodWatcherSettings settings, EventSink log, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.log = log;
        this.clock = clock;
    }

    /** Starts one informer per watched namespace (one for all namespaces when none are configured); returns at once. */
    public PodWatcher start() {
        if (settings.namespaces().isEmpty()) {
            informers.add(informer(client.pods().inAnyNamespace(), "all namespaces"));
        } else {
            for (String namespace : settings.namespaces()) {
                informers.add(informer(client.pods().inNamespace(namespace), "namespace " + namespace));
            }
        }
        for (SharedIndexInformer<Pod> informer : informers) {
            informer.start();
        }
        return this;
    }

    private SharedIndexInformer<Pod> informer(FilterWatchListDeletable<Pod, PodList, PodResource> pods, String scope) {
        FilterWatchListDeletable<Pod, PodList, PodResource> selected =
                settings.labelSelector().map(pods::withLabelSelector).orElse(pods);
        SharedIndexInformer<Pod> informer = selected.runnableInformer(settings.resync().toMillis());
        informer.addEventHandler(new Handler());
        // Keep trying, with the informer's backoff, while the API server is unreachable or refuses:
        // readiness stays DOWN meanwhile, and the role starts working once it can.
        informer.exceptionHandler((started, failure) -> {
            LOG.warnf("pod informer on %s: %s; retrying", scope, failure.toString());
            return true;
        });
        return informer;
    }

    /** True once every informer has listed its pods (and so published their current facts). */
    public boolean synced() {
        return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** How many dataplanes the watcher currently knows a fact of. */
    public int dataplanes() {
        return published.size();
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::stop);
    }

    private void publish(Optional<DataplaneEvent> fact, boolean podRemoved) {
        if (fact.isEmpty()) {
            return;
        }
        DataplaneEvent event = fact.get();
        if (!published.claim(event)) {
            if (podRemoved) {
                // Already published as deleted (Succeeded or evicted): only the memory of it goes.
                published.release(event);
            }
            return;
        }
        log.append(List.of(event)).whenComplete((ok, failure) -> {
            if (failure != null) {
                published.release(event);
                LOG.errorf("pod watcher: %s for dataplane %s not written: %s", type(event), PodTranslator.key(event), failure.toString());
            } else if (podRemoved) {
                // The pod is gone from the informer's store: nothing more will be said about it.
                published.release(event);
            }
        });
    }

    private static String type(DataplaneEvent event) {
        return event.getPayload() instanceof DataplaneDeleted ? "dataplane-deleted" : "pod-readiness";
    }

    /** Translates informer notifications; runs on the informer's thread. */
    private final class Handler implements ResourceEventHandler<Pod> {

        @Override
        public void onAdd(Pod pod) {
            publish(PodTranslator.translate(pod, clock.instant()), false);
        }

        @Override
        public void onUpdate(Pod previous, Pod pod) {
            publish(PodTranslator.translate(pod, clock.instant()), false);
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            publish(PodTranslator.translateRemoved(pod, clock.instant()), true);
        }
    }
}
