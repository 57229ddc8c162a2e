package io.vigil.aggregator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.DataplaneKey;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The invariants of the fold, over generated event streams (see {@link EventStreams}). */
class HealthPropertiesTest {

    @Provide
    Arbitrary<List<Event>> streams() {
        return EventStreams.events(120);
    }

    @Property(tries = 300)
    void foldIsDeterministic(@ForAll("streams") List<Event> events) {
        Run first = Run.of(events);
        Run second = Run.of(events);
        assertThat(second.changes).isEqualTo(first.changes);
        assertThat(second.snapshot).isEqualTo(first.snapshot);
    }

    @Property(tries = 300)
    void interleavingOfDataplanesDoesNotChangeTheOutcome(@ForAll("streams") List<Event> events, @ForAll long seed) {
        Run inOrder = Run.of(events);
        Run shuffled = Run.of(interleave(events, new Random(seed)));
        assertThat(shuffled.snapshot.dataplanes()).isEqualTo(inOrder.snapshot.dataplanes());
        // Services as seen, since included; not their versions, which count the updates that the
        // interleaving coalesces differently.
        assertThat(shuffled.snapshot.services()).extracting(HealthSnapshot.ServiceEntry::service)
                .isEqualTo(inOrder.snapshot.services().stream().map(HealthSnapshot.ServiceEntry::service).toList());
        assertThat(shuffled.dataplaneChangesByKey()).isEqualTo(inOrder.dataplaneChangesByKey());
    }

    @Property(tries = 300)
    void versionsGrowByExactlyOnePerChange(@ForAll("streams") List<Event> events) {
        assertThat(VersionLedger.of(Run.of(events).changes).gaps()).isEmpty();
    }

    @Property(tries = 300)
    void anInboundIsAnEndpointIffItIsReady(@ForAll("streams") List<Event> events) {
        HealthSnapshot snapshot = Run.of(events).snapshot;
        Set<String> readyInbounds = new HashSet<>();
        for (HealthSnapshot.DataplaneEntry dp : snapshot.dataplanes()) {
            for (InboundView inbound : dp.proxy().inbounds()) {
                if (inbound.ready()) {
                    readyInbounds.add(dp.key().mesh() + "/" + inbound.service() + "/" + dp.key().name() + "/"
                            + inbound.address() + ":" + inbound.port());
                }
            }
        }
        Set<String> endpoints = new HashSet<>();
        for (HealthSnapshot.ServiceEntry service : snapshot.services()) {
            for (Endpoint endpoint : service.service().endpoints()) {
                endpoints.add(service.key().mesh() + "/" + service.key().name() + "/" + endpoint.dataplane() + "/"
                        + endpoint.address() + ":" + endpoint.port());
            }
        }
        assertThat(endpoints).isEqualTo(readyInbounds);
    }

    @Property(tries = 300)
    void aServiceStatusAgreesWithItsCountsAndMembers(@ForAll("streams") List<Event> events) {
        HealthSnapshot snapshot = Run.of(events).snapshot;
        for (HealthSnapshot.ServiceEntry entry : snapshot.services()) {
            ServiceCounts counts = entry.service().dataplanes();
            List<ProxyView> members = snapshot.dataplanes().stream()
                    .filter(dp -> dp.key().mesh().equals(entry.key().mesh()))
                    .map(HealthSnapshot.DataplaneEntry::proxy)
                    .filter(proxy -> proxy.services().contains(entry.key().name()))
                    .toList();
            assertThat(counts.total()).isEqualTo(members.size()).isPositive();
            assertThat(counts.online() + counts.offline() + counts.partiallyDegraded()).isEqualTo(counts.total());
            assertThat(counts.online()).isEqualTo(members.stream().filter(p -> p.status() == HealthStatus.ONLINE).count());
            assertThat(counts.offline()).isEqualTo(members.stream().filter(p -> p.status() == HealthStatus.OFFLINE).count());
            assertThat(counts.partiallyDegraded())
                    .isEqualTo(members.stream().filter(p -> p.status() == HealthStatus.PARTIALLY_DEGRADED).count());
            HealthStatus expected = counts.online() == counts.total() ? HealthStatus.ONLINE
                    : counts.online() == 0 ? HealthStatus.OFFLINE : HealthStatus.PARTIALLY_DEGRADED;
            assertThat(entry.service().status()).isEqualTo(expected);
        }
    }

    @Property(tries = 300)
    void aProxyStatusFollowsItsInbounds(@ForAll("streams") List<Event> events) {
        for (HealthSnapshot.DataplaneEntry dp : Run.of(events).snapshot.dataplanes()) {
            ProxyView proxy = dp.proxy();
            long ready = proxy.inbounds().stream().filter(InboundView::ready).count();
            HealthStatus expected = !proxy.connected() ? HealthStatus.OFFLINE
                    : proxy.gateway() || ready == proxy.inbounds().size() ? HealthStatus.ONLINE
                    : ready == 0 ? HealthStatus.OFFLINE : HealthStatus.PARTIALLY_DEGRADED;
            assertThat(proxy.status()).as(dp.key().toString()).isEqualTo(expected);
        }
    }

    @Property(tries = 300)
    void applyingAnEventTwiceWithTheSameIdEqualsApplyingItOnce(@ForAll("streams") List<Event> events, @ForAll long seed) {
        List<Event> withIds = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            withIds.add(new Event(e.dataplane(), e.time(), "e" + i, e.payload(), null));
        }
        Random random = new Random(seed);
        List<Event> retried = new ArrayList<>();
        for (int i = 0; i < withIds.size(); i++) {
            retried.add(withIds.get(i));
            if (random.nextInt(4) == 0) {
                int back = Math.max(0, i - random.nextInt(10));
                Event again = withIds.get(back);
                if (sameLifetime(withIds, back, i)) {
                    retried.add(again);
                }
            }
        }
        Run once = Run.of(withIds);
        Run twice = Run.of(retried);
        assertThat(twice.changes).isEqualTo(once.changes);
        assertThat(twice.snapshot).isEqualTo(once.snapshot);
    }

    /** Events {@code from} and {@code to} are of one dataplane with no delete, which forgets ids, from one to the other. */
    private static boolean sameLifetime(List<Event> events, int from, int to) {
        DataplaneKey key = events.get(from).dataplane();
        if (!events.get(to).dataplane().equals(key)) {
            return false;
        }
        for (int j = from; j <= to; j++) {
            if (events.get(j).dataplane().equals(key) && events.get(j).payload() instanceof DataplaneDeleted) {
                return false;
            }
        }
        return true;
    }

    /** A random merge of the per-dataplane subsequences: each dataplane's own order is kept. */
    private static List<Event> interleave(List<Event> events, Random random) {
        Map<DataplaneKey, Deque<Event>> queues = new LinkedHashMap<>();
        for (Event e : events) {
            queues.computeIfAbsent(e.dataplane(), k -> new ArrayDeque<>()).add(e);
        }
        List<Deque<Event>> open = new ArrayList<>(queues.values());
        List<Event> merged = new ArrayList<>(events.size());
        while (!open.isEmpty()) {
            Deque<Event> pick = open.get(random.nextInt(open.size()));
            merged.add(pick.poll());
            if (pick.isEmpty()) {
                open.remove(pick);
            }
        }
        return merged;
    }

    /**
     * A proxy's since is the time of the change whose status differs from the one before, and
     * carried forward otherwise; connectedSince is carried while connected and null while not. So
     * neither ever makes a change by itself. (A service's since, the newest of its members', is a
     * function of its members: interleavingOfDataplanesDoesNotChangeTheOutcome covers it.)
     */
    @Property(tries = 300)
    void sinceMovesOnlyWithTheStatus(@ForAll("streams") List<Event> events) {
        Map<Object, Instant> since = new HashMap<>();
        Map<DataplaneKey, ProxyView> proxies = new HashMap<>();
        for (HealthChange change : Run.of(events).changes) {
            if (change instanceof ProxyChange proxy && proxy.state() != null) {
                ProxyView before = proxies.put(proxy.dataplane(), proxy.state());
                assertThat(proxy.state().since()).isEqualTo(proxy.previousStatus() == proxy.state().status()
                        ? since.get(proxy.dataplane()) : proxy.cause().eventTime());
                since.put(proxy.dataplane(), proxy.state().since());
                if (!proxy.state().connected()) {
                    assertThat(proxy.state().connectedSince()).isNull();
                } else if (before != null && before.connected()) {
                    assertThat(proxy.state().connectedSince()).isEqualTo(before.connectedSince());
                }
            } else if (change instanceof ProxyChange proxy) {
                proxies.remove(proxy.dataplane());
                since.remove(proxy.dataplane());
            }
        }
    }

    private record Run(List<HealthChange> changes, HealthSnapshot snapshot) {

        static Run of(List<Event> events) {
            HealthModel model = new HealthModel();
            List<HealthChange> changes = new ArrayList<>();
            for (Event event : events) {
                changes.addAll(model.apply(event));
            }
            return new Run(changes, model.snapshot());
        }

        /** Inbound and proxy changes per dataplane, without causes' times (interleaving moves them). */
        Map<String, List<Object>> dataplaneChangesByKey() {
            Map<String, List<Object>> byKey = new LinkedHashMap<>();
            for (HealthChange change : changes) {
                if (change instanceof InboundChange c) {
                    byKey.computeIfAbsent(c.dataplane().toString(), k -> new ArrayList<>())
                            .add(List.of(c.port(), String.valueOf(c.state()), String.valueOf(c.previousReady()), c.version()));
                } else if (change instanceof ProxyChange c) {
                    byKey.computeIfAbsent(c.dataplane().toString(), k -> new ArrayList<>())
                            .add(List.of(String.valueOf(c.state()), String.valueOf(c.previousStatus()), c.version()));
                }
            }
            return Map.copyOf(byKey);
        }
    }
}
