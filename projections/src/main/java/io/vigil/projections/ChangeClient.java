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
 * <p>Its life is a {@link State}, changed only by {@link #transitionTo}, which refuses a transition
 * the enum does not list:
 *
 * <pre>
 *   NEW ──startLive──────────────────────────────▶ LIVE ──end──▶ ENDING ──outbox sent, or 2 ticks──▶ CLOSED
 *    │                                               ▲                ▲
 *    └──holdLive──▶ CATCHING_UP ──goLive─────────────┘                │
 *                    │       ▲                                        │
 *        held buffer │       │ holdLive (read further)                │
 *          overflows ▼       │                                        │
 *                  CATCHING_UP_OVERFLOWED ───────────end──────────────┘
 * </pre>
 *
 * Every state but {@code CLOSED} may also go to {@code ENDING} ({@link #end}) or straight to
 * {@code CLOSED} (the client went away, or a send failed). A resuming client catches up first, and
 * one opened with {@code ?initial=true} gets its initial state and a bookmark first, the same way:
 * live changes wait in a second bounded buffer ({@code held}); if that overflows, the catch-up
 * simply reads further from Kafka before going live (see {@link ChangeStream}). Whether a send is
 * in flight is not part of the state: it is the one-send-at-a-time permit, in every state but
 * {@code CLOSED}.
 *
 * <p>Threading: thread-safe. The request thread creates and {@link #open opens} the client; the
 * follower thread {@link #offer offers} changes, under the broadcast's monitor; the catch-up thread
 * {@link #deliverInitial delivers the initial state} and {@link #endInitialState ends it} (for
 * {@code ?initial=true}), {@link #deliver delivers} changes read from Kafka (and waits while the
 * outbox is full),
 * {@link #holdLive holds} and {@link #goLive goes live} under the broadcast's monitor, or
 * {@link #skipTo skips} a resume point too far behind; Vert.x
 * threads complete sends; the timer {@link #tick ticks} keepalives and {@link #tickBookmark bookmarks};
 * any thread may {@link #end}.
 * All state is guarded by this object's monitor, which is taken after the broadcast's and never
 * before it; no send, and no call of {@code onClose}, happens while holding it.
 */
final class ChangeClient {

    /** Where a client is in its life; each state lists where it may go next. */
    enum State {
        /** Created, not attached to the broadcast yet: it is offered nothing. */
        NEW,
        /** Catching up from a resume cursor: the catch-up delivers from Kafka, live changes are held. */
        CATCHING_UP,
        /** Catching up, and the held live changes overflowed and were let go: the catch-up must read further before going live. */
        CATCHING_UP_OVERFLOWED,
        /** Takes live changes into its outbox; a full outbox ends the stream. */
        LIVE,
        /** Its final event is queued: it takes nothing more and closes once its outbox is sent, or two keepalive ticks later. */
        ENDING,
        /** Its sink is closed and it is detached. */
        CLOSED;

        boolean canTransitionTo(State next) {
            return switch (this) {
                case NEW -> next == LIVE || next == CATCHING_UP || next == ENDING || next == CLOSED;
                case CATCHING_UP -> next == LIVE || next == CATCHING_UP_OVERFLOWED || next == ENDING || next == CLOSED;
                case CATCHING_UP_OVERFLOWED -> next == CATCHING_UP || next == ENDING || next == CLOSED;
                case LIVE -> next == ENDING || next == CLOSED;
                case ENDING -> next == CLOSED;
                case CLOSED -> false;
            };
        }

        /** Whether the stream is over: its final event is queued or it is closed. */
        boolean ended() {
            return this == ENDING || this == CLOSED;
        }
    }

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
    private State state = State.NEW;
    /** The live changes kept while {@link State#CATCHING_UP}; null in every other state. */
    private ArrayDeque<HealthChange> held;
    /** Whether a send is in flight; its completion sends the next. */
    private boolean sending;
    private int ticksSinceEnding;
    /** Whether a change was queued since the last bookmark tick: then the stream is not idle. */
    private boolean changeQueuedSinceBookmark;

    ChangeClient(SseEventSink sink, Sse sse, ChangeFilter filter, int capacity, ChangeCursor cursor,
                 Consumer<ChangeClient> onClose) {
        this.sink = sink;
        this.sse = sse;
        this.filter = filter;
        this.capacity = capacity;
        this.cursor = cursor;
        this.onClose = onClose;
    }

    synchronized State state() {
        return state;
    }

    /** Sends a first comment, so the client gets the response headers before the first change. */
    void open() {
        synchronized (this) {
            outbox.add(CONNECTED);
        }
        drain();
    }

    /**
     * {@code NEW -> LIVE}, under the broadcast's monitor: moves the cursor forward to {@code position},
     * so a client without a resume cursor starts where the broadcast is (one ahead of it stays ahead).
     *
     * @throws IllegalStateException unless {@code NEW}
     */
    synchronized void startLive(ChangeCursor position) {
        if (state != State.NEW) {
            throw new IllegalStateException("a live stream client starts live only when new, not from " + state);
        }
        transitionTo(State.LIVE);
        cursor.advanceTo(position);
    }

    /** A copy of what this client has been sent (or skipped) so far. */
    synchronized ChangeCursor cursor() {
        return cursor.copy();
    }

    /** Follower thread: takes a live change, or keeps it for later while catching up; never waits. */
    void offer(HealthChange change) {
        synchronized (this) {
            switch (state) {
                case LIVE -> {
                    if (outbox.size() >= capacity && wanted(change)) {
                        queueEnd("dropped", "the client reads slower than changes arrive: its buffer of " + capacity
                                + " changes overflowed", false);
                    } else {
                        accept(change);
                    }
                }
                case CATCHING_UP -> {
                    if (held.size() >= capacity) {
                        held = null;
                        transitionTo(State.CATCHING_UP_OVERFLOWED);
                    } else {
                        held.add(change);
                    }
                    return;
                }
                default -> {
                    // NEW is not attached yet; CATCHING_UP_OVERFLOWED reads it from Kafka later; an ended client takes nothing.
                    return;
                }
            }
        }
        drain();
    }

    /**
     * Catch-up thread: queues a change read from Kafka, waiting while the outbox is full.
     *
     * @return false once the client is gone
     * @throws IllegalStateException when the client is not catching up (nor gone)
     */
    boolean deliver(HealthChange change) throws InterruptedException {
        synchronized (this) {
            if (!awaitRoom()) {
                return false;
            }
            accept(change);
        }
        drain();
        return true;
    }

    /**
     * Catch-up thread: queues one entity of the client's initial state (an event without an id:
     * it has no position of its own), waiting while the outbox is full. The JSON is written here,
     * before the monitor is taken.
     *
     * @return false once the client is gone
     * @throws IllegalStateException when the client is not catching up (nor gone)
     */
    boolean deliverInitial(InitialState.Entity entity) throws InterruptedException {
        Outgoing outgoing = new Outgoing(null, entity.level().eventName(), null, entity.json(), null);
        synchronized (this) {
            if (!awaitRoom()) {
                return false;
            }
            outbox.add(outgoing);
        }
        drain();
        return true;
    }

    /**
     * Catch-up thread, once the initial state is queued: moves the cursor to the state's
     * {@code position} and queues a {@code bookmark} event with it (its id too) that says the
     * initial state is complete. The live changes held meanwhile are all past it.
     *
     * @throws IllegalStateException when the client is not catching up (nor gone)
     */
    void endInitialState(ChangeCursor position) {
        synchronized (this) {
            if (state.ended()) {
                return;
            }
            requireCatchingUp();
            cursor.advanceTo(position);
            queueBookmark(true);
        }
        drain();
    }

    /** Waits while the outbox is full. Caller holds the monitor. @return false once the client has ended */
    private boolean awaitRoom() throws InterruptedException {
        requireCatchingUp();
        while (outbox.size() >= capacity && !state.ended()) {
            wait();
        }
        return !state.ended();
    }

    private void requireCatchingUp() {
        if (state == State.NEW || state == State.LIVE) {
            throw new IllegalStateException("a live stream client takes changes from a catch-up only while catching up, not from "
                    + state);
        }
    }

    /**
     * {@code NEW} or {@code CATCHING_UP_OVERFLOWED -> CATCHING_UP}, under the broadcast's monitor:
     * from now on live changes are held while the catch-up reads up to the broadcast's position.
     *
     * @return false, changing nothing, when the client has ended: there is nothing to catch up for
     * @throws IllegalStateException when it is live or already holding
     */
    synchronized boolean holdLive() {
        if (state.ended()) {
            return false;
        }
        transitionTo(State.CATCHING_UP);
        held = new ArrayDeque<>();
        return true;
    }

    /**
     * {@code CATCHING_UP -> LIVE}, under the broadcast's monitor once the catch-up has read to where
     * {@link #holdLive()} was called: queues the live changes held meanwhile (those the catch-up
     * has not sent already), and from now on takes them directly.
     *
     * @return false if some were lost to an overflow ({@code CATCHING_UP_OVERFLOWED}), so the
     *         catch-up must hold again and read further first; true when live, or when the client
     *         has ended (it must read no further)
     * @throws IllegalStateException when it is not catching up (nor gone)
     */
    boolean goLive() {
        synchronized (this) {
            if (state == State.CATCHING_UP_OVERFLOWED) {
                return false;
            }
            if (state.ended()) {
                return true;
            }
            if (state != State.CATCHING_UP) {
                throw new IllegalStateException("a live stream client goes live only from CATCHING_UP, not from " + state);
            }
            transitionTo(State.LIVE);
            held.forEach(this::accept);
            held = null;
        }
        drain();
        return true;
    }

    /**
     * Catch-up thread: ends a stream whose resume point is too far behind to replay. The cursor
     * moves forward to {@code position} first, so the final {@code dropped} event resumes from
     * there, and says {@code "reload": true}: the changes skipped are to be read from the state.
     * Does nothing once the stream has ended.
     */
    void skipTo(ChangeCursor position, String reason) {
        synchronized (this) {
            if (state.ended()) {
                return;
            }
            cursor.advanceTo(position);
            queueEnd("dropped", reason, true);
        }
        drain();
    }

    /** Whether the stream is over (ending or closed): a catch-up stops. */
    synchronized boolean gone() {
        return state.ended();
    }

    /**
     * Bookmark timer: a live client that was sent no change since the previous tick, with nothing
     * queued, gets a {@code bookmark} event with its cursor (which moves past the changes its
     * filters skip), so that a client of a quiet filter resumes from near the present.
     */
    void tickBookmark() {
        synchronized (this) {
            boolean idle = state == State.LIVE && !changeQueuedSinceBookmark && outbox.isEmpty() && !sending;
            changeQueuedSinceBookmark = false;
            if (!idle) {
                return;
            }
            queueBookmark(false);
        }
        drain();
    }

    /** Queues {@code event: bookmark} with the cursor as its id and data. Caller holds the monitor. */
    private void queueBookmark(boolean endOfInitialState) {
        String position = cursor.encode();
        outbox.add(new Outgoing(position, "bookmark", null,
                "{\"cursor\": \"" + position + "\"" + (endOfInitialState ? ", \"endOfInitialState\": true}" : "}"), null));
    }

    /** Keepalive timer: a comment on an idle stream; closes a stream whose final event the client never read. */
    void tick() {
        boolean closing = false;
        synchronized (this) {
            switch (state) {
                case CLOSED -> {
                    return;
                }
                case ENDING -> {
                    if (++ticksSinceEnding > 1) {
                        // A send may still be waiting on a client that stopped reading: don't wait for it.
                        transitionTo(State.CLOSED);
                        closing = true;
                    }
                }
                default -> {
                    if (outbox.isEmpty() && !sending) {
                        outbox.add(KEEPALIVE);
                    }
                }
            }
        }
        if (closing) {
            close();
        } else {
            drain();
        }
    }

    /**
     * Ends the stream with a final {@code event: name} whose data gives the reason and the cursor to
     * resume from (also its id), and sends what is queued; does nothing more once the stream has ended.
     */
    void end(String name, String reason) {
        synchronized (this) {
            queueEnd(name, reason, false);
        }
        drain();
    }

    /**
     * Queues the final event and goes {@code ENDING}, unless already ended; {@code reload} adds
     * {@code "reload": true} (the client must re-read the state before resuming). Caller holds the monitor.
     */
    private void queueEnd(String name, String reason, boolean reload) {
        if (state.ended()) {
            return;
        }
        transitionTo(State.ENDING);
        String resume = cursor.encode();
        String data = "{\"reason\": \"" + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\", \"resume\": \"" + resume + "\""
                + (reload ? ", \"reload\": true}" : "}");
        outbox.add(new Outgoing(resume, name, null, data, null));
    }

    /**
     * The one place the state changes; wakes a catch-up waiting in {@link #deliver}. Caller holds the monitor.
     *
     * @throws IllegalStateException when {@link State#canTransitionTo} does not allow it
     */
    private void transitionTo(State next) {
        if (!state.canTransitionTo(next)) {
            throw new IllegalStateException("a live stream client cannot go from " + state + " to " + next);
        }
        state = next;
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
            changeQueuedSinceBookmark = true;
        }
    }

    private boolean wanted(HealthChange change) {
        return cursor.isAhead(change.topic(), change.partition(), change.offset()) && filter.test(change);
    }

    /** Sends the next queued item unless one is in flight; its completion sends the one after. Closes an ended client once all is sent. */
    private void drain() {
        Outgoing next;
        synchronized (this) {
            if (sending || state == State.CLOSED) {
                return;
            }
            next = sink.isClosed() ? null : outbox.poll();
            if (next == null) {
                if (state != State.ENDING && !sink.isClosed()) {
                    return;
                }
                transitionTo(State.CLOSED);
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
            boolean failed;
            synchronized (this) {
                sending = false;
                failed = error != null && state != State.CLOSED;
                if (failed) {
                    transitionTo(State.CLOSED);
                }
            }
            if (failed) {
                close();
            } else if (error == null) {
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
