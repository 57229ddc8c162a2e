package io.vigil.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vigil.ingest.EventLog;
import io.vigil.ingest.kubernetes.PodWatcher;
import io.vigil.ingest.kubernetes.PodWatcherSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The {@code k8s-watcher} role: a {@link PodWatcher} started once the topics exist and stopped when
 * vigil shuts down. The Kubernetes client is only looked up when the role runs, so a process
 * without the role never reads a kubeconfig nor contacts a cluster. Thread-safe: it starts on a
 * thread of its own once the topics exist, stops on the shutdown thread, and readiness may ask at any time.
 */
@ApplicationScoped
public class PodWatcherRole {

    private static final Logger LOG = Logger.getLogger(PodWatcherRole.class);

    private final VigilConfig config;
    private final TopicBootstrap topics;
    private final Instance<KubernetesClient> client;
    private final Instance<EventLog> log;
    private volatile PodWatcher watcher;
    private volatile boolean stopping;

    PodWatcherRole(VigilConfig config, TopicBootstrap topics, Instance<KubernetesClient> client, Instance<EventLog> log) {
        this.config = config;
        this.topics = topics;
        this.client = client;
        this.log = log;
    }

    public boolean enabled() {
        return config.roles().contains(Role.K8S_WATCHER.cliName());
    }

    void start(@Observes StartupEvent event) {
        if (!enabled()) {
            return;
        }
        Thread starter = new Thread(this::startWhenTopicsExist, "vigil-k8s-watcher-start");
        starter.setDaemon(true);
        starter.start();
    }

    private void startWhenTopicsExist() {
        topics.awaitProvisioned();
        VigilConfig.K8sWatcher settings = config.k8sWatcher();
        List<String> namespaces = settings.namespaces().orElse(List.of());
        // Under the lock so that a shutdown meanwhile either prevents the start or stops what started.
        synchronized (this) {
            if (stopping || !topics.provisioned()) {
                return;
            }
            watcher = new PodWatcher(client.get(), new PodWatcherSettings(namespaces, settings.labelSelector(), settings.resync()),
                    log.get(), Clock.systemUTC()).start();
        }
        LOG.infof("k8s-watcher started on %s", namespaces.isEmpty() ? "every namespace" : "namespaces " + namespaces);
    }

    /** Ready when not running, or once every informer has listed its pods. */
    public boolean ready() {
        PodWatcher running = watcher;
        return !enabled() || running != null && running.synced();
    }

    /** Dataplanes with a known fact, for the readiness check's data; 0 before the start. */
    public int dataplanes() {
        PodWatcher running = watcher;
        return running == null ? 0 : running.dataplanes();
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (watcher != null) {
            watcher.close();
        }
    }
}
