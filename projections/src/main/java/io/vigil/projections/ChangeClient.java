package io.vigil.projections;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One live stream client: its filter, the cursor of what it has been sent, and a bounded outbox.
 * The follower {@link #offer offers} changes without ever waiting; one send is in flight at a time
 * and its completion sends the next, so a client that reads slowly fills its outbox, and a full
 * outbox ends the stream with a final {@code dropped} event that says where to resume.
 *
 * <p>While it catches up from a resume cursor, live changes wait in a second bounded buffer
 * ({@code pending}); if that overflows, the catch-up simply reads further from Kafka before going
 * live (see {@link ChangeStream}).
 *
 * <p>Thread-safe: the follower thread offers, a catch-up thread delivers, Vert.x threads complete
 * sends, the keepalive timer ticks; all state is guarded by this object's monitor, and no send
 * happens while holding it.
 */
final class ChangeClient {

    /** Something to send: a change (written as JSON when sent, not when queued), a comment or the final event. */
    private record Outgoing(String id, String name, HealthChange change, String data, String comment) {

        OutboundSseEvent event(Sse sse) {
            OutboundSseEvent.Builder builder = sse.newEventBuilder();
            if (comment != null) {
                return builder.comment(comment).build();
            }
            return builder.id(id).name(name).data(change != null ? change.json() : data).build();
        }
    }

    private static final Outgoing KEEPALIVE = new Outgoing(null, null, null, null, "keepalive");
    private static final Outgoing CONNECTED = new Outgoing(null, null, null, null, "connected");

    private final SseEventSink sink;
    private final Sse sse;
    private final ChangeFilter filter;
    private final int capacity;
    private final Consumer<ChangeClient> onClose;
    private final ChangeCursor cursor;
    private final ArrayDeque<Outgoing> outbox = new ArrayDeque<>();
    private ArrayDeque<HealthChange> pending;
    private boolean pendingOverflowed;
    private boolean sending;
    private boolean ending;
    private boolean closed;
    private int ticksSinceEnding;

    ChangeClient(SseEventSink sink, Sse sse, ChangeFilter filter, int capacity, ChangeCursor cursor,
                 Consumer<ChangeClient> onClose) {
        this.sink = sink;
        this.sse = sse;
        this.filter = filter;
        this.capacity = capacity;
        this.cursor = cursor;
        this.onClose = onClose;
    }

    /** Sends a first comment, so the client gets the response headers before the first change. */
    void open() {
        synchronized (this) {
            outbox.add(CONNECTED);
        }
        drain();
    }

    /** Moves the cursor forward to {@code position}: a client without a resume cursor starts where the broadcast is. */
    synchronized void skipTo(ChangeCursor position) {
        cursor.advanceTo(position);
    }

    /** A copy of what this client has been sent (or skipped) so far. */
    synchronized ChangeCursor cursor() {
        return cursor.copy();
    }

    /** Follower thread: takes a live change, or keeps it for later while catching up; never waits. */
    void offer(HealthChange change) {
        synchronized (this) {
            if (ending) {
                return;
            }
            if (pending != null) {
                if (!pendingOverflowed && pending.size() >= capacity) {
                    pending.clear();
                    pendingOverflowed = true;
                } else if (!pendingOverflowed) {
                    pending.add(change);
                }
                return;
            }
            if (outbox.size() >= capacity && wanted(change)) {
                end("dropped", "the client reads slower than changes arrive: its buffer of " + capacity + " changes overflowed");
            } else {
                accept(change);
            }
        }
        drain();
    }

    /**
     * Catch-up thread: queues a change read from Kafka, waiting while the outbox is full.
     *
     * @return false once the client is gone
     */
    boolean deliver(HealthChange change) throws InterruptedException {
        synchronized (this) {
            while (outbox.size() >= capacity && !ending) {
                wait();
            }
            if (ending) {
                return false;
            }
            accept(change);
        }
        drain();
        return true;
    }

    /** Starts (or restarts) keeping live changes aside while the catch-up reads up to the broadcast's position. */
    synchronized void holdLive() {
        pending = new ArrayDeque<>();
        pendingOverflowed = false;
    }

    /**
     * Called under the broadcast's lock once the catch-up has read to where {@link #holdLive()} was
     * called: queues the live changes kept meanwhile, and from now on takes them directly.
     *
     * @return false if some were lost to an overflow, so the catch-up must read further first
     */
    boolean goLive() {
        synchronized (this) {
            if (pendingOverflowed) {
                return false;
            }
            pending.forEach(this::accept);
            pending = null;
        }
        drain();
        return true;
    }

    synchronized boolean gone() {
        return ending;
    }

    /** Keepalive timer: a comment on an idle stream; closes a stream whose final event the client never read. */
    void tick() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (ending && ++ticksSinceEnding > 1) {
                // A send may still be waiting on a client that stopped reading: don't wait for it.
                closed = true;
                notifyAll();
            } else if (outbox.isEmpty() && !sending && !ending) {
                outbox.add(KEEPALIVE);
            }
        }
        if (isClosed()) {
            close();
        } else {
            drain();
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Ends the stream with a final {@code event: name} whose data gives the reason and the cursor to resume from. */
    synchronized void end(String name, String reason) {
        if (ending) {
            return;
        }
        ending = true;
        String resume = cursor.encode();
        String data = "{\"reason\": \"" + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\", \"resume\": \"" + resume + "\"}";
        outbox.add(new Outgoing(resume, name, null, data, null));
        notifyAll();
    }

    /** Queues a change this client has not seen and wants; remembers skipping one it does not want. Caller holds the monitor. */
    private void accept(HealthChange change) {
        if (!cursor.isAhead(change.topic(), change.partition(), change.offset())) {
            return;
        }
        cursor.advance(change.topic(), change.partition(), change.offset());
        if (filter.test(change)) {
            outbox.add(new Outgoing(cursor.encode(), change.level().eventName(), change, null, null));
        }
    }

    private boolean wanted(HealthChange change) {
        return cursor.isAhead(change.topic(), change.partition(), change.offset()) && filter.test(change);
    }

    /** Sends the next queued item unless one is in flight; its completion sends the one after. */
    void drain() {
        Outgoing next;
        synchronized (this) {
            if (sending) {
                return;
            }
            next = closed || sink.isClosed() ? null : outbox.poll();
            if (next == null) {
                if (closed || ending || sink.isClosed()) {
                    closed = true;
                    ending = true;
                    notifyAll();
                } else {
                    return;
                }
            } else {
                sending = true;
                notifyAll();
            }
        }
        if (next == null) {
            close();
            return;
        }
        sink.send(next.event(sse)).whenComplete((ignored, error) -> {
            synchronized (this) {
                sending = false;
            }
            if (error != null) {
                synchronized (this) {
                    closed = true;
                    ending = true;
                    notifyAll();
                }
                close();
            } else {
                drain();
            }
        });
    }

    private void close() {
        onClose.accept(this);
        if (!sink.isClosed()) {
            sink.close();
        }
    }
}
