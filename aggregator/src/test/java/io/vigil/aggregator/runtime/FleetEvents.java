package io.vigil.aggregator.runtime;

import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.DataplaneSpec;
import io.vigil.avro.DataplaneUpserted;
import io.vigil.avro.Environment;
import io.vigil.avro.Inbound;
import io.vigil.avro.InboundHealth;
import io.vigil.avro.Networking;
import io.vigil.avro.ProbeResult;
import io.vigil.avro.ServiceProbe;
import io.vigil.avro.StreamConnected;
import io.vigil.avro.StreamDisconnected;
import io.vigil.avro.TcpCheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded synthetic fleet for the pipeline tests and the benchmarks (deploy/bench, through this
 * module's test-jar), as event-log records: {@code dataplanes} Universal
 * dataplanes in 4 meshes with {@code inbounds} inbounds each (every other one probed), spread over
 * 1000 services per mesh, and a steady stream over them of 80 % probe results (1 in 50 a failure),
 * 10 % stream connects and disconnects, 5 % upserts and 5 % inbound-health events. Every address
 * is in 127.0.0.0/8. Not thread-safe.
 */
public final class FleetEvents {

    private final String meshPrefix;
    private final int dataplanes;
    private final int inbounds;
    private final SplittableRandom random;
    private Instant clock = Instant.parse("2026-11-26T10:00:00Z");

    public FleetEvents(int dataplanes, int inbounds, long seed) {
        this("", dataplanes, inbounds, seed);
    }

    /** @param meshPrefix prefixes the 4 mesh names, to keep fleets apart on a shared broker */
    public FleetEvents(String meshPrefix, int dataplanes, int inbounds, long seed) {
        this.meshPrefix = meshPrefix;
        this.dataplanes = dataplanes;
        this.inbounds = inbounds;
        this.random = new SplittableRandom(seed);
    }

    /** One upsert and one connect per dataplane. */
    public List<DataplaneEvent> bootstrap() {
        List<DataplaneEvent> events = new ArrayList<>(2 * dataplanes);
        for (int i = 0; i < dataplanes; i++) {
            events.add(event(i, upsert(i)));
            events.add(event(i, new StreamConnected("cp-1", null)));
        }
        return events;
    }

    /** The steady mix. */
    public List<DataplaneEvent> steady(int count) {
        List<DataplaneEvent> events = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            events.add(next());
        }
        return events;
    }

    /** The next event of the steady mix. */
    public DataplaneEvent next() {
        int dp = random.nextInt(dataplanes);
        int roll = random.nextInt(100);
        Object payload;
        if (roll < 80) {
            boolean healthy = random.nextInt(50) != 0;
            payload = new ProbeResult(port(random.nextInt(inbounds)), healthy, healthy ? null : "connection refused");
        } else if (roll < 85) {
            payload = new StreamConnected(random.nextBoolean() ? "cp-1" : "cp-2", null);
        } else if (roll < 90) {
            payload = new StreamDisconnected(random.nextBoolean() ? "cp-1" : "cp-2", null);
        } else if (roll < 95) {
            payload = upsert(dp);
        } else {
            payload = new InboundHealth(port(random.nextInt(inbounds)), random.nextInt(10) != 0);
        }
        return event(dp, payload);
    }

    private DataplaneEvent event(int dp, Object payload) {
        clock = clock.plusMillis(1);
        return new DataplaneEvent(null, meshPrefix + "mesh-" + (dp % 4), "dp-" + dp, clock, payload);
    }

    private DataplaneUpserted upsert(int dp) {
        List<Inbound> specs = new ArrayList<>(inbounds);
        for (int j = 0; j < inbounds; j++) {
            ServiceProbe probe = j % 2 == 0 ? new ServiceProbe(null, null, 1, 2, new TcpCheck(), null) : null;
            specs.add(new Inbound(port(j), null, null, Map.of("kuma.io/service", "svc-" + ((dp * inbounds + j) % 1000)),
                    null, probe, null));
        }
        return new DataplaneUpserted(Environment.UNIVERSAL, new DataplaneSpec(new Networking(address(dp), specs, null, null), null));
    }

    static int port(int inbound) {
        return 10_000 + inbound;
    }

    static String address(int dp) {
        return "127." + ((dp >> 16) & 0xff) + "." + ((dp >> 8) & 0xff) + "." + (dp & 0xff);
    }
}
