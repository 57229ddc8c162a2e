package io.vigil.app;

import io.quarkus.runtime.StartupEvent;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.TopicSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Creates vigil's missing topics at start, retrying in the background while Kafka is not reachable
 * (start-up is not blocked; readiness stays DOWN until it succeeds). A misconfiguration that no
 * retry can fix, such as topics with mismatched partition counts, is logged once and not retried.
 */
@ApplicationScoped
public class TopicBootstrap {

    private static final Logger LOG = Logger.getLogger(TopicBootstrap.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final TopicProvisioner provisioner;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "vigil-topic-bootstrap");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean provisioned;
    private volatile String problem = "topics not provisioned yet";

    TopicBootstrap(KafkaAdmin admin, VigilConfig config) {
        VigilConfig.Topics topics = config.topics();
        this.provisioner = new TopicProvisioner(admin.admin(),
                new TopicSettings(topics.partitions(), topics.replicationFactor(), topics.eventRetention(),
                        topics.changeMinCompactionLag()),
                Duration.ofSeconds(10));
    }

    void start(@Observes StartupEvent event) {
        executor.execute(this::attempt);
    }

    private void attempt() {
        try {
            List<String> created = provisioner.provision();
            if (!created.isEmpty()) {
                LOG.infof("created topics %s", created);
            }
            provisioned = true;
            problem = null;
            done.countDown();
            executor.shutdown();
        } catch (IllegalStateException misconfigured) {
            problem = misconfigured.getMessage();
            LOG.error(problem);
            done.countDown();
            executor.shutdown();
        } catch (RuntimeException kafkaDown) {
            problem = "Kafka not reachable: " + kafkaDown.getMessage();
            LOG.debugf("topic provisioning failed, retrying in %s: %s", RETRY, kafkaDown);
            executor.schedule(this::attempt, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Blocks until the topics are provisioned (or provisioning gave up: see {@link #problem()}). */
    public void awaitProvisioned() {
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether every topic was found or created. */
    public boolean provisioned() {
        return provisioned;
    }

    /** Why topics are not provisioned, or null. */
    public String problem() {
        return problem;
    }
}
