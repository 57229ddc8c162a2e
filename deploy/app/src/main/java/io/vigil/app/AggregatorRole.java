package io.vigil.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.runtime.DataplaneStage;
import io.vigil.aggregator.runtime.ServiceStage;
import io.vigil.aggregator.runtime.StageConfig;
import io.vigil.aggregator.runtime.StageRunner;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.RecordTracing;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * The {@code aggregator} role: stage 1 (per dataplane) and stage 2 (per service), each a
 * {@link StageRunner} on its own thread; stopping commits what they hold.
 */
@ApplicationScoped
public class AggregatorRole implements RoleLifecycle {

    private static final Logger LOG = Logger.getLogger(AggregatorRole.class);

    private final VigilConfig config;
    private final MeterRegistry registry;
    private final KafkaClients clients;
    private final SchemaRegistryMode schemaRegistry;
    private final RecordTracing tracing;
    private final List<StageRunner> stages = new CopyOnWriteArrayList<>();

    AggregatorRole(VigilConfig config, MeterRegistry registry, KafkaClients clients, SchemaRegistryMode schemaRegistry, RecordTracing tracing) {
        this.config = config;
        this.registry = registry;
        this.clients = clients;
        this.schemaRegistry = schemaRegistry;
        this.tracing = tracing;
    }

    @Override
    public Role role() {
        return Role.AGGREGATOR;
    }

    @Override
    public void start() {
        VigilConfig.Aggregator settings = config.aggregator();
        String instance = settings.instanceId().orElseGet(this::defaultInstanceId);
        StageConfig stage = new StageConfig(instance, settings.commitInterval(), settings.maxBatchRecords(),
                settings.transactionTimeout(), settings.sessionTimeout(), settings.maxRecordBytes(), schemaRegistry.wireFormat(),
                settings.commitWhenDrained());
        stages.add(new StageRunner(new DataplaneStage(probeDefaults(config.probe())), stage, clients, registry, tracing).start());
        stages.add(new StageRunner(new ServiceStage(), stage, clients, registry, tracing).start());
        LOG.infof("aggregator started as instance %s", instance);
    }

    /** The configured serviceProbe defaults, which every aggregator and replay must agree on. */
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
        return host + "-" + Integer.toHexString(Arrays.hashCode(dir.getBytes(StandardCharsets.UTF_8)));
    }

    /** Every stage has joined its group and restored its partitions. */
    @Override
    public boolean ready() {
        return stages.size() == 2 && stages.stream().allMatch(StageRunner::ready);
    }

    @Override
    public void stop() {
        for (StageRunner stage : stages) {
            stage.close();
        }
    }
}
