package io.vigil.projections;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fans the follower's changes out to the live stream clients and knows how far it has published.
 * {@link #publish} never waits on a client: each client takes a change into its own bounded
 * buffer or ends its stream.
 *
 * <p>Thread-safe. The follower thread publishes; request and catch-up threads attach clients and
 * take positions. Publishing, attaching and going live hold this object's monitor (and, inside it,
 * the client's: see {@link ChangeClient}), so a client attached at position P receives every change
 * published after P; clients detach without it.
 */
@ApplicationScoped
public class ChangeBroadcast {

    private final ChangeCursor published = ChangeCursor.start();
    private final CopyOnWriteArrayList<ChangeClient> clients = new CopyOnWriteArrayList<>();

    /** Follower thread: one change, in the order of its partition. */
    public synchronized void publish(HealthChange change) {
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
