package io.vigil.projections;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.InboundChange;
import io.vigil.avro.ProxyChange;
import io.vigil.avro.ServiceChange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Applies the follower's changes to the {@link HealthViews}, fans them out to the live stream
 * clients and knows how far it has published. {@link #publish} never waits on a client: each
 * client takes a change into its own bounded buffer or ends its stream.
 *
 * <p>Thread-safe. The follower thread publishes; request and catch-up threads attach clients and
 * take positions. Publishing (views first, then clients), attaching and going live hold this
 * object's monitor (and, inside it, the client's: see {@link ChangeClient}), so a client attached
 * at position P receives every change published after P, and the initial state taken when it
 * attaches is the views at exactly P; clients detach without it.
 *
 * <p>Meters: {@code vigil_projections_stream_clients}, the live stream clients attached (live or
 * catching up), and {@code vigil_projections_change_delay_seconds}, per published change the time
 * from its record's timestamp (the aggregator's write) to its publication here, after the views
 * applied it: how far the projections lag behind the aggregator (the whole history, at start).
 */
@ApplicationScoped
public class ChangeBroadcast {

    private final HealthViews views;
    private final ChangeCursor published = ChangeCursor.start();
    private final CopyOnWriteArrayList<ChangeClient> clients = new CopyOnWriteArrayList<>();
    private final Timer delay;

    @Inject
    ChangeBroadcast(HealthViews views, MeterRegistry registry) {
        this.views = views;
        Gauge.builder("vigil.projections.stream.clients", clients, List::size)
                .description("Live stream clients attached, live or catching up").register(registry);
        delay = Timer.builder("vigil.projections.change.delay")
                .description("From a change's write by the aggregator to its publication by the projections").register(registry);
    }

    /** With views of its own and meters nobody reads, for unit tests. */
    ChangeBroadcast() {
        this(new HealthViews(), new SimpleMeterRegistry());
    }

    /**
     * Follower thread: one change, in the order of its partition, applied to the views and then
     * offered to every client, so a client that reads a change and then the views sees it applied.
     */
    public synchronized void publish(HealthChange change) {
        if (change.change() instanceof InboundChange inbound) {
            views.apply(inbound);
        } else if (change.change() instanceof ProxyChange proxy) {
            views.apply(proxy);
        } else if (change.change() instanceof ServiceChange service) {
            views.apply(service);
        }
        // A negative delay (clocks apart) is not recorded.
        delay.record(Duration.between(change.time(), Instant.now()));
        published.advance(change.topic(), change.partition(), change.offset());
        for (ChangeClient client : clients) {
            client.offer(change);
        }
    }

    /** The clients attached now, live or catching up. */
    List<ChangeClient> clients() {
        return List.copyOf(clients);
    }

    /** Adds a new client that starts live at once, from the current position (a cursor ahead of it stays ahead). */
    synchronized void attachLive(ChangeClient client) {
        client.startLive(published);
        clients.add(client);
    }

    /**
     * Adds a new client live if its cursor has every change published so far (it resumes from the
     * present, or ahead of it): it needs no catch-up.
     *
     * @return false, attaching nothing, when the cursor is behind in some partition
     */
    synchronized boolean attachLiveIfCurrent(ChangeClient client) {
        if (!client.cursor().reaches(published)) {
            return false;
        }
        attachLive(client);
        return true;
    }

    /**
     * Adds a new client that catches up first; live changes are held for it from now on.
     *
     * @return the position its catch-up must read up to; null, attaching nothing, when the client
     *         has already ended (it went away before its catch-up started)
     */
    synchronized ChangeCursor attachCatchingUp(ChangeClient client) {
        if (!client.holdLive()) {
            return null;
        }
        clients.add(client);
        return published.copy();
    }

    /**
     * Adds a new client that first gets the current state of what it asks for: live changes are
     * held for it from now on, and the state is the views at the position it returns, so the
     * live changes after that position follow the state with nothing lost or twice. Holds the
     * monitor (and so the follower) while it walks the views of the client's meshes.
     *
     * @return the state and its position; null, attaching nothing, when the client has already ended
     */
    synchronized InitialState attachWithInitialState(ChangeClient client, ChangeFilter filter) {
        if (!client.holdLive()) {
            return null;
        }
        clients.add(client);
        return InitialState.take(views, filter, published.copy());
    }

    /** A copy of how far this broadcast has published: the present, as a cursor. */
    synchronized ChangeCursor position() {
        return published.copy();
    }

    /**
     * Makes a caught-up client live.
     *
     * @return null when it is live, or has ended meanwhile; otherwise the position its catch-up
     *         must now read up to (live changes overflowed its held buffer meanwhile)
     */
    synchronized ChangeCursor goLive(ChangeClient client) {
        if (client.goLive()) {
            return null;
        }
        // Held changes were lost: hold again from here and read up to here first, unless the client ended meanwhile.
        return client.holdLive() ? published.copy() : null;
    }

    void detach(ChangeClient client) {
        clients.remove(client);
    }
}
