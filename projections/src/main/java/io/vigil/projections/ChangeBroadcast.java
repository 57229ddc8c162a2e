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
 * take positions. Publishing, attaching and going live hold this object's monitor, so a client
 * attached at position P receives every change published after P; clients detach without it.
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

    /** Where the follower has published up to. */
    public synchronized ChangeCursor position() {
        return published.copy();
    }

    /** The clients attached now, live or catching up. */
    List<ChangeClient> clients() {
        return List.copyOf(clients);
    }

    /** Adds a client that starts live at once, from the current position (a cursor ahead of it stays ahead). */
    synchronized void attachLive(ChangeClient client) {
        client.skipTo(published);
        clients.add(client);
    }

    /**
     * Adds a client that catches up first; live changes wait in its buffer from now on.
     *
     * @return the position its catch-up must read up to
     */
    synchronized ChangeCursor attachCatchingUp(ChangeClient client) {
        client.holdLive();
        clients.add(client);
        return published.copy();
    }

    /**
     * Makes a caught-up client live.
     *
     * @return null when it is live; otherwise the position its catch-up must now read up to
     *         (live changes overflowed its buffer meanwhile)
     */
    synchronized ChangeCursor goLive(ChangeClient client) {
        if (client.goLive()) {
            return null;
        }
        client.holdLive();
        return published.copy();
    }

    void detach(ChangeClient client) {
        clients.remove(client);
    }
}
