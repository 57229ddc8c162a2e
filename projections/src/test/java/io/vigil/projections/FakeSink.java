package io.vigil.projections;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An {@link SseEventSink} that records what is sent. A fast client completes every send at once;
 * a slow one completes a send only when the test says so ({@link #complete}), so not completing
 * models a client that stops reading. Thread-safe: a catch-up thread may send while the test
 * thread completes.
 */
final class FakeSink implements SseEventSink {

    private final boolean fast;
    private final List<FakeSse.Event> sent = new ArrayList<>();
    private final ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
    private boolean closed;
    private int closes;

    private FakeSink(boolean fast) {
        this.fast = fast;
    }

    /** A client that reads everything as soon as it is sent. */
    static FakeSink fast() {
        return new FakeSink(true);
    }

    /** A client that reads a send only when the test {@link #complete completes} it. */
    static FakeSink slow() {
        return new FakeSink(false);
    }

    @Override
    public CompletionStage<?> send(OutboundSseEvent event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("sent on a closed sink: " + event);
            }
            sent.add((FakeSse.Event) event);
            if (!fast) {
                inFlight.add(done);
                return done;
            }
        }
        done.complete(null);
        return done;
    }

    /** Lets the client read the sends in flight, and those they cause, until none is left or {@code count} were read. */
    void complete(int count) {
        for (int i = 0; i < count; i++) {
            CompletableFuture<Void> next;
            synchronized (this) {
                next = inFlight.poll();
            }
            if (next == null) {
                return;
            }
            next.complete(null);
        }
    }

    /** Lets the client read everything it is sent from now on, and what is in flight. */
    void completeAll() {
        complete(Integer.MAX_VALUE);
    }

    /** Fails the send in flight, as when the connection broke. */
    void failNext() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = inFlight.poll();
        }
        next.completeExceptionally(new java.io.IOException("connection reset"));
    }

    synchronized int inFlight() {
        return inFlight.size();
    }

    /** Everything sent so far, comments included. */
    synchronized List<FakeSse.Event> sent() {
        return List.copyOf(sent);
    }

    /** The events sent so far, without comments. */
    synchronized List<FakeSse.Event> events() {
        return sent.stream().filter(e -> !e.isComment()).toList();
    }

    /** The client went away, as Vert.x notices a closed connection. */
    synchronized void disconnect() {
        closed = true;
    }

    @Override
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
        closes++;
    }

    /** How often the server closed this sink. */
    synchronized int closes() {
        return closes;
    }
}
