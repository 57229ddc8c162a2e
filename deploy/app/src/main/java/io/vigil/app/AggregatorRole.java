package io.vigil.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.runtime.DataplaneStage;
import io.vigil.aggregator.runtime.ServiceStage;
import io.vigil.aggregator.runtime.StageConfig;
import io.vigil.aggregator.runtime.StageRunner;
import io.vigil.schemas.kafka.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * The {@code aggregator} role: stage 1 (per dataplane) and stage 2 (per service), each a
 * {@link StageRunner} on its own thread, started once the topics exist and stopped, with a last
 * commit, when vigil shuts down.
 */
@ApplicationScoped
public class AggregatorRole {

    private static final Logger LOG = Logger.getLogger(AggregatorRole.class);

    private final VigilConfig config;
    private final TopicBootstrap topics;
    private final MeterRegistry registry;
    private final KafkaClients clients;
    private final List<StageRunner> stages = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    AggregatorRole(VigilConfig config, TopicBootstrap topics, MeterRegistry registry, KafkaClients clients) {
        this.config = config;
        this.topics = topics;
        this.registry = registry;
        this.clients = clients;
    }

    public boolean enabled() {
        return config.roles().contains(Role.AGGREGATOR.cliName());
    }

    void start(@Observes StartupEvent event) {
        if (!enabled()) {
            return;
        }
        Thread starter = new Thread(this::startWhenTopicsExist, "vigil-aggregator-start");
        starter.setDaemon(true);
        starter.start();
    }

    private void startWhenTopicsExist() {
        topics.awaitProvisioned();
        if (stopping || !topics.provisioned()) {
            return;
        }
        VigilConfig.Aggregator settings = config.aggregator();
        String instance = settings.instanceId().orElseGet(this::defaultInstanceId);
        StageConfig stage = new StageConfig(instance, settings.commitInterval(), settings.maxBatchRecords(),
                settings.transactionTimeout(), settings.sessionTimeout());
        stages.add(new StageRunner(new DataplaneStage(probeDefaults(config.probe())), stage, clients, registry).start());
        stages.add(new StageRunner(new ServiceStage(), stage, clients, registry).start());
        LOG.infof("aggregator started as instance %s", instance);
    }

    /** The configured serviceProbe defaults; the prober uses the same, so both agree on every probe's settings. */
    static ProbeDefaults probeDefaults(VigilConfig.Probe probe) {
        return new ProbeDefaults(probe.interval().toMillis(), probe.timeout().toMillis(),
                probe.healthyThreshold(), probe.unhealthyThreshold());
    }

    /** Host and data dir: the same on a restart of this instance, different for another one. */
    private String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        String dir = Path.of(config.dataDir()).toAbsolutePath().normalize().toString();
        return host + "-" + Integer.toHexString(java.util.Arrays.hashCode(dir.getBytes(StandardCharsets.UTF_8)));
    }

    /** Ready when not running, or when every stage has joined its group and restored its partitions. */
    public boolean ready() {
        return !enabled() || stages.size() == 2 && stages.stream().allMatch(StageRunner::ready);
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        for (StageRunner stage : stages) {
            stage.close();
        }
    }
}
