package io.vigil.ingest.simulate;

import io.vigil.avro.Container;
import io.vigil.avro.DataplaneDeleted;
import io.vigil.avro.DataplaneDraining;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.DataplaneSpec;
import io.vigil.avro.DataplaneUpserted;
import io.vigil.avro.Environment;
import io.vigil.avro.Inbound;
import io.vigil.avro.InboundHealth;
import io.vigil.avro.Networking;
import io.vigil.avro.PodReadiness;
import io.vigil.avro.ProbeResult;
import io.vigil.avro.ServiceProbe;
import io.vigil.avro.StreamConnected;
import io.vigil.avro.StreamDisconnected;
import io.vigil.avro.TcpCheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded, realistic event stream over a {@link FleetShape}: each dataplane lives a lifecycle
 * (upserted, connected, health reports, now and then a disconnect, a routine re-upsert or a drain
 * followed by a disconnect and either a delete or a restart), so the stream holds every kind of
 * fact in an order a real fleet produces. Health reports follow the environment: Universal
 * inbounds with a {@code serviceProbe} get {@code probe-result}s, the others {@code inbound-health};
 * Kubernetes dataplanes get {@code pod-readiness} with one container per inbound. Each report
 * flips the inbound it is about with the shape's flap probability.
 *
 * <p>The same shape, seed and start give the same events: times are {@code start} plus one
 * millisecond per event and ids are {@code idPrefix-N}. Every address is in 127.0.0.0/8.
 * Not thread-safe: one thread draws the events.
 */
public final class FleetGenerator {

    /** What a dataplane is doing, which decides its next fact. */
    private enum Lifecycle { ABSENT, OFFLINE, ONLINE, DRAINING }

    /** Per mille of an online dataplane's next facts that are not health reports. */
    private static final int DRAIN = 3;
    private static final int DISCONNECT = 8;
    private static final int REUPSERT = 18;

    private static final int FIRST_PORT = 10_000;
    private static final int FIRST_WORKLOAD_PORT = 20_000;
    private static final String[] INSTANCES = {"cp-1", "cp-2"};

    private final FleetShape shape;
    private final SplittableRandom random;
    private final Instant start;
    private final String idPrefix;
    private final Simulated[] dataplanes;
    private long drawn;

    /** One dataplane's lifecycle, its open stream and the health of each of its inbounds. */
    private static final class Simulated {
        final boolean kubernetes;
        final boolean[] healthy;
        Lifecycle lifecycle = Lifecycle.ABSENT;
        String instance;
        String stream;

        Simulated(boolean kubernetes, int inbounds) {
            this.kubernetes = kubernetes;
            this.healthy = new boolean[inbounds];
        }
    }

    public FleetGenerator(FleetShape shape, long seed, Instant start, String idPrefix) {
        this.shape = shape;
        this.random = new SplittableRandom(seed);
        this.start = start;
        this.idPrefix = idPrefix;
        this.dataplanes = new Simulated[shape.dataplanes()];
        for (int i = 0; i < dataplanes.length; i++) {
            dataplanes[i] = new Simulated(random.nextDouble() < shape.kubernetesShare(), shape.inboundsPerDataplane());
        }
    }

    /** The next fact about a dataplane drawn at random. */
    public DataplaneEvent next() {
        int index = random.nextInt(dataplanes.length);
        Simulated dp = dataplanes[index];
        Object payload = switch (dp.lifecycle) {
            case ABSENT -> created(index, dp);
            case OFFLINE -> connected(dp);
            case ONLINE -> whileOnline(index, dp);
            case DRAINING -> afterDrain(dp);
        };
        Instant time = start.plusMillis(drawn);
        return new DataplaneEvent(idPrefix + "-" + drawn++, shape.mesh(), name(index), time, payload);
    }

    private DataplaneUpserted created(int index, Simulated dp) {
        Arrays.fill(dp.healthy, true);
        dp.lifecycle = Lifecycle.OFFLINE;
        return upsert(index, dp);
    }

    private StreamConnected connected(Simulated dp) {
        dp.lifecycle = Lifecycle.ONLINE;
        dp.instance = INSTANCES[random.nextInt(INSTANCES.length)];
        dp.stream = "stream-" + drawn;
        return new StreamConnected(dp.instance, dp.stream);
    }

    private Object whileOnline(int index, Simulated dp) {
        int roll = random.nextInt(1000);
        if (roll < DRAIN) {
            dp.lifecycle = Lifecycle.DRAINING;
            return new DataplaneDraining();
        }
        if (roll < DISCONNECT) {
            return disconnected(dp, Lifecycle.OFFLINE);
        }
        if (roll < REUPSERT) {
            return upsert(index, dp);
        }
        return dp.kubernetes ? podReadiness(dp) : universalReport(dp);
    }

    /** A drained proxy's stream closes; then its dataplane is deleted, or the process restarts. */
    private Object afterDrain(Simulated dp) {
        if (dp.stream != null) {
            return disconnected(dp, Lifecycle.DRAINING);
        }
        if (random.nextBoolean()) {
            dp.lifecycle = Lifecycle.ABSENT;
            return new DataplaneDeleted();
        }
        return connected(dp);
    }

    private StreamDisconnected disconnected(Simulated dp, Lifecycle next) {
        StreamDisconnected event = new StreamDisconnected(dp.instance, dp.stream);
        dp.lifecycle = next;
        dp.stream = null;
        return event;
    }

    private Object universalReport(Simulated dp) {
        int inbound = random.nextInt(dp.healthy.length);
        boolean healthy = flip(dp, inbound);
        if (probed(inbound)) {
            return new ProbeResult(port(inbound), healthy, healthy ? null : "dial tcp: connection refused");
        }
        return new InboundHealth(port(inbound), healthy);
    }

    private PodReadiness podReadiness(Simulated dp) {
        flip(dp, random.nextInt(dp.healthy.length));
        List<Container> containers = new ArrayList<>(dp.healthy.length);
        for (int j = 0; j < dp.healthy.length; j++) {
            containers.add(new Container("app-" + j, dp.healthy[j], List.of(FIRST_WORKLOAD_PORT + j)));
        }
        return new PodReadiness(false, true, containers);
    }

    /** The inbound's health after this report: flipped with the flap probability. */
    private boolean flip(Simulated dp, int inbound) {
        if (random.nextDouble() < shape.flapProbability()) {
            dp.healthy[inbound] = !dp.healthy[inbound];
        }
        return dp.healthy[inbound];
    }

    private DataplaneUpserted upsert(int index, Simulated dp) {
        List<Inbound> inbounds = new ArrayList<>(dp.healthy.length);
        for (int j = 0; j < dp.healthy.length; j++) {
            Map<String, String> tags = Map.of("kuma.io/service", service(index, j));
            if (dp.kubernetes) {
                inbounds.add(new Inbound(port(j), FIRST_WORKLOAD_PORT + j, null, tags, null, null, null));
            } else {
                ServiceProbe probe = probed(j) ? new ServiceProbe(null, null, 1, 2, new TcpCheck(), null) : null;
                inbounds.add(new Inbound(port(j), null, null, tags, null, probe, null));
            }
        }
        Environment environment = dp.kubernetes ? Environment.KUBERNETES : Environment.UNIVERSAL;
        return new DataplaneUpserted(environment, new DataplaneSpec(new Networking(address(index), inbounds, null, null), null));
    }

    /** Two inbounds in three are probed; the third is set by custom automation (inbound-health). */
    private static boolean probed(int inbound) {
        return inbound % 3 != 2;
    }

    private String service(int index, int inbound) {
        return "svc-" + Math.floorMod((long) index * shape.inboundsPerDataplane() + inbound, shape.services());
    }

    static String name(int index) {
        return "dp-" + index;
    }

    static int port(int inbound) {
        return FIRST_PORT + inbound;
    }

    /** 127.0.0.1 up: one loopback address per dataplane. */
    static String address(int index) {
        int host = index + 1;
        return "127." + ((host >> 16) & 0xff) + "." + ((host >> 8) & 0xff) + "." + (host & 0xff);
    }
}
