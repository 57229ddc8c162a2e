package io.vigil.aggregator.core;

import io.vigil.schemas.DataplaneKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of event streams over a few dataplanes, small enough in ports, services,
 * instances and ids that events collide often (same inbound, same stream, repeated ids).
 */
final class EventStreams {

    static final List<String> DATAPLANES = List.of("a", "b", "c", "d");
    private static final List<String> MESHES = List.of("default", "payments");
    private static final List<Integer> PORTS = List.of(8080, 8081, 8082);
    private static final List<String> SERVICES = List.of("backend", "web", "admin");

    private EventStreams() {
    }

    /** Events in order, times one second apart; ids drawn from a small pool so repeats happen. */
    static Arbitrary<List<Event>> events(int maxSize) {
        return event().list().ofMaxSize(maxSize).map(EventStreams::timed);
    }

    static List<Event> timed(List<Event> events) {
        List<Event> timed = new ArrayList<>(events.size());
        Instant t = Instant.parse("2026-11-26T10:00:00Z");
        for (Event e : events) {
            t = t.plusSeconds(1);
            timed.add(new Event(e.dataplane(), t, e.id(), e.payload(), e.source()));
        }
        return timed;
    }

    static Arbitrary<Event> event() {
        Arbitrary<DataplaneKey> key = Combinators.combine(Arbitraries.of(MESHES), Arbitraries.of(DATAPLANES))
                .as(DataplaneKey::new);
        Arbitrary<String> id = Arbitraries.of("i1", "i2", "i3", "i4").injectNull(0.5);
        return Combinators.combine(key, id, payload())
                .as((k, i, p) -> new Event(k, Instant.EPOCH, i, p, null));
    }

    static Arbitrary<EventPayload> payload() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, upserted()),
                Tuple.of(1, Arbitraries.just(new DataplaneDeleted())),
                Tuple.of(3, Combinators.combine(instance(), stream()).as(StreamConnected::new)),
                Tuple.of(2, Combinators.combine(instance(), stream()).as(StreamDisconnected::new)),
                Tuple.of(8, Combinators.combine(Arbitraries.of(PORTS), Arbitraries.of(true, false))
                        .as((port, healthy) -> new ProbeResult(port, healthy, healthy ? null : "refused"))),
                Tuple.of(2, podReadiness()),
                Tuple.of(1, Arbitraries.just(new DataplaneDraining())),
                Tuple.of(2, Combinators.combine(Arbitraries.of(PORTS), Arbitraries.of(true, false))
                        .as(InboundHealthSet::new)));
    }

    private static Arbitrary<String> instance() {
        return Arbitraries.of("cp-1", "cp-2");
    }

    private static Arbitrary<String> stream() {
        return Arbitraries.of("s1", "s2").injectNull(0.5);
    }

    private static Arbitrary<EventPayload> upserted() {
        Arbitrary<EventPayload> withInbounds = Combinators.combine(
                        Arbitraries.of(Environment.class),
                        Arbitraries.of("127.0.0.1", "127.0.0.2"),
                        inbound().list().ofMaxSize(3).uniqueElements(InboundSpec::port))
                .as((env, address, inbounds) -> new DataplaneUpserted(env, new DataplaneSpec(address, inbounds, null)));
        Arbitrary<EventPayload> gateway = Arbitraries.of(SERVICES)
                .map(service -> new DataplaneUpserted(Environment.UNIVERSAL, new DataplaneSpec("127.0.0.9", List.of(), service)));
        return Arbitraries.frequencyOf(Tuple.of(9, withInbounds), Tuple.of(1, gateway));
    }

    private static Arbitrary<InboundSpec> inbound() {
        Arbitrary<Boolean> health = Arbitraries.of(true, false).injectNull(0.4);
        Arbitrary<ProbeSettings> probe = Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3))
                .as((h, u) -> ProbeDefaults.KUMA.resolve(null, null, h, u, null)).injectNull(0.5);
        Arbitrary<Integer> servicePort = Arbitraries.of(9000, 9001).injectNull(0.6);
        Arbitrary<String> address = Arbitraries.just("127.168.0.5").injectNull(0.7);
        // A second tag, sometimes changing between upserts: tags must change no health.
        Arbitrary<String> version = Arbitraries.of("v1", "v2").injectNull(0.5);
        return Combinators.combine(Arbitraries.of(PORTS), servicePort, address, Arbitraries.of(SERVICES), health, probe, version)
                .as((port, workload, at, service, ready, settings, tag) -> new InboundSpec(port, workload, at, service, ready, settings,
                        tag == null ? null : Map.of(Tags.SERVICE, service, "version", tag)));
    }

    private static Arbitrary<EventPayload> podReadiness() {
        Arbitrary<PodContainer> container = Combinators.combine(
                        Arbitraries.of("app", "exporter", "helper"), Arbitraries.of(true, false),
                        Arbitraries.of(8080, 8081, 8082, 9000).list().ofMaxSize(2).uniqueElements())
                .as(PodContainer::new);
        return Combinators.combine(Arbitraries.frequency(Tuple.of(1, true), Tuple.of(4, false)), Arbitraries.of(true, false),
                        container.list().ofMaxSize(3))
                .as((terminating, sidecar, containers) -> new PodReadiness(terminating, sidecar, containers));
    }
}
