package io.vigil.projections;

import io.quarkus.runtime.ShutdownEvent;
import io.vigil.schemas.kafka.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

/**
 * The live stream's clients: opens them (live at once, after their initial state, or after
 * catching up from a resume cursor), sends keepalive comments and bookmarks, bounds how many there
 * are, and ends them when vigil stops.
 *
 * <p>A resuming client gets a thread and a Kafka consumer of its own until it has caught up: the
 * consumer reads every change partition from the client's cursor to where the broadcast was when
 * the client attached, then the client goes live, dropping live changes its catch-up already sent
 * (per-partition offsets tell). The consumer is opened on the request thread, before the stream
 * is, so that a cursor whose changes the topics no longer hold (a partition's log start lies past
 * it) is refused ({@link Opened#GONE}) instead of resumed with a gap. A client that asked for its
 * initial state ({@code ?initial=true}) gets a thread too: it sends the state taken from the views
 * when the client attached, ends it with a bookmark of its position, and goes live; only if the live
 * changes held meanwhile overflowed does it open a consumer and catch up from that position.
 *
 * <p>At most {@code vigil.projections.stream.max-concurrent-catch-ups} of these run at once: one
 * that finds every {@link #catchUpSlots() slot} taken is refused before anything is opened, and the
 * catch-up gives its slot back when it ends, caught up or not. A catch-up replays at most
 * {@code vigil.projections.stream.max-catch-up-changes} positions: when the resume point (or, after
 * its held live changes overflowed, what is left to read) is further behind, it reads nothing and
 * ends the stream with a {@code dropped} event that resumes from where the broadcast is and says to
 * re-read the state ({@link ChangeClient#skipTo}).
 *
 * <p>Thread-safe: request threads open clients (and a resume's consumer), catch-up threads (one per
 * catch-up, each owning its consumer and slot) send initial state and read Kafka, the timer ticks
 * keepalives and bookmarks.
 */
@ApplicationScoped
public class ChangeStream {

    private static final Logger LOG = Logger.getLogger(ChangeStream.class);

    private final ChangeBroadcast broadcast;
    private final ProjectionsConfig.Stream config;
    private final KafkaClients clients;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("vigil-changes-timer"));
    private final ExecutorService catchUps = Executors.newCachedThreadPool(daemon("vigil-changes-catch-up"));
    private final Slots catchUpSlots;

    ChangeStream(ChangeBroadcast broadcast, ProjectionsConfig config,
                 KafkaClients clients) {
        this.broadcast = broadcast;
        this.config = config.stream();
        this.clients = clients;
        this.catchUpSlots = new Slots(config.stream().maxConcurrentCatchUps());
        long keepalive = config.stream().keepalive().toMillis();
        timer.scheduleAtFixedRate(() -> broadcast.clients().forEach(ChangeClient::tick), keepalive, keepalive, TimeUnit.MILLISECONDS);
        long bookmarks = config.stream().bookmarkInterval().toMillis();
        timer.scheduleAtFixedRate(() -> broadcast.clients().forEach(ChangeClient::tickBookmark), bookmarks, bookmarks,
                TimeUnit.MILLISECONDS);
    }

    /** What {@link #open} did. */
    public enum Opened {
        /** The stream is open. */
        OPEN,
        /** Refused, touching nothing: {@code vigil.projections.stream.max-clients} streams are open. */
        TOO_MANY_STREAMS,
        /** Refused, touching nothing: {@code vigil.projections.stream.max-concurrent-catch-ups} catch-ups are running. */
        TOO_MANY_CATCH_UPS,
        /** Refused: the change topics no longer hold every change after the resume cursor (a partition's log start is past it). */
        GONE,
        /** Refused: Kafka did not answer the resume's consumer; the cursor keeps. */
        KAFKA_UNAVAILABLE
    }

    /**
     * Starts streaming to {@code sink}: from {@code resume} when given; else with the initial
     * state first when {@code initial}; else from now.
     */
    public Opened open(SseEventSink sink, Sse sse, ChangeFilter filter, ChangeCursor resume, boolean initial) {
        ChangeCursor from = resume == null ? ChangeCursor.start() : resume;
        return start(new ChangeClient(sink, sse, filter, config.buffer(), from, broadcast::detach), filter, resume != null, initial);
    }

    /** A long-poll that {@link #poll} started, or refused ({@link #opened} not {@code OPEN}, {@link #answer} null). */
    public record Poll(Opened opened, CompletionStage<ChangePoll.Answer> answer) {
    }

    /**
     * Starts a long-poll of the changes after {@code index}: a client like a resuming stream's,
     * whose sink is a {@link ChangePoll} that answers with the first changes it gets, or with
     * none after {@code wait}.
     */
    public Poll poll(Sse sse, ChangeFilter filter, ChangeCursor index, Duration wait) {
        ChangePoll poll = new ChangePoll(config.buffer(), timer);
        ChangeClient client = new ChangeClient(poll, sse, filter, config.buffer(), index, broadcast::detach);
        poll.follow(client);
        Opened opened = start(client, filter, true, false);
        if (opened != Opened.OPEN) {
            return new Poll(opened, null);
        }
        poll.endAfter(wait);
        return new Poll(opened, poll.answer());
    }

    /**
     * Opens {@code client}: live at once (not resuming and no initial state, or resuming from the
     * present), else on a catch-up thread, if a slot is free.
     */
    private Opened start(ChangeClient client, ChangeFilter filter, boolean resume, boolean initial) {
        if (broadcast.clients().size() >= config.maxClients()) {
            return Opened.TOO_MANY_STREAMS;
        }
        if (!resume && !initial) {
            broadcast.attachLive(client);
            client.open();
            return Opened.OPEN;
        }
        if (resume && broadcast.attachLiveIfCurrent(client)) {
            // Nothing to read from Kafka: no consumer, no slot (a long-poll from its last index, mostly).
            client.open();
            return Opened.OPEN;
        }
        Slots.Slot slot = catchUpSlots.tryTake();
        if (slot == null) {
            return Opened.TOO_MANY_CATCH_UPS;
        }
        if (!resume) {
            client.open();
            run(slot, client, () -> sendInitialState(client, filter));
            return Opened.OPEN;
        }
        ChangeReader reader;
        try {
            reader = ChangeReader.at(clients, client.cursor());
        } catch (RuntimeException e) {
            slot.close();
            LOG.warnf("could not open a consumer to resume a live stream: %s", e.toString());
            return Opened.KAFKA_UNAVAILABLE;
        }
        if (!reader.lost().isEmpty()) {
            reader.close();
            slot.close();
            return Opened.GONE;
        }
        client.open();
        run(slot, client, () -> {
            try (reader) {
                catchUp(client, reader, broadcast.attachCatchingUp(client));
            }
        });
        return Opened.OPEN;
    }

    /** The present: the cursor after every change published so far. */
    public ChangeCursor position() {
        return broadcast.position();
    }

    /** The slots of catch-ups at once: {@link #open} takes one per resuming or initial-state client, its catch-up gives it back. */
    public Slots catchUpSlots() {
        return catchUpSlots;
    }

    /** What a catch-up thread does for a client; it may wait (interrupted when vigil stops). */
    private interface CatchUp {
        void run() throws InterruptedException;
    }

    /** Runs {@code catchUp} on a catch-up thread, which gives {@code slot} back when it ends and ends the stream if it fails. */
    private void run(Slots.Slot slot, ChangeClient client, CatchUp catchUp) {
        catchUps.execute(() -> {
            try (slot) {
                catchUp.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                client.end("dropped", "vigil is shutting down");
            } catch (RuntimeException e) {
                LOG.warnf("a live stream client could not catch up: %s", e.toString());
                client.end("dropped", "reading the change topics failed; resume later");
            }
        });
    }

    /**
     * Sends the client's initial state and its bookmark, then makes it live; reads from Kafka only
     * when the live changes held meanwhile overflowed.
     */
    private void sendInitialState(ChangeClient client, ChangeFilter filter) throws InterruptedException {
        InitialState state = broadcast.attachWithInitialState(client, filter);
        if (state == null) {
            return;
        }
        for (InitialState.Entity entity : state.entities()) {
            if (!client.deliverInitial(entity)) {
                return;
            }
        }
        client.endInitialState(state.position());
        ChangeCursor target = broadcast.goLive(client);
        if (target != null) {
            try (ChangeReader reader = ChangeReader.at(clients, client.cursor())) {
                catchUp(client, reader, target);
            }
        }
    }

    /**
     * Reads from {@code reader} up to {@code target} (null: the client is live or gone), then tries
     * to make the client live, again until it is; skips to the present when that is too far.
     */
    private void catchUp(ChangeClient client, ChangeReader reader, ChangeCursor target) throws InterruptedException {
        if (target != null && !reader.lost().isEmpty()) {
            client.skipTo(target, "the change topics no longer hold every change after this stream's position: read GET /api/v1/state"
                    + " again, then resume from this cursor");
            return;
        }
        HealthChange.Decoder decoder = new HealthChange.Decoder();
        long replayed = 0;
        while (target != null) {
            long behind = replayed + reader.behind(target);
            if (behind > config.maxCatchUpChanges()) {
                client.skipTo(target, "catching up from the resume point takes " + behind + " changes, more than the "
                        + config.maxCatchUpChanges() + " a catch-up replays: read GET /api/v1/state again, then resume from this cursor"
                        + " (changes not newer than the state's versions are already in it)");
                return;
            }
            while (!reader.reached(target)) {
                if (client.gone()) {
                    return;
                }
                ConsumerRecords<byte[], byte[]> records = reader.poll(Duration.ofMillis(200));
                replayed += records.count();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    HealthChange change = decoder.decodeOrSkip(record);
                    if (change != null && !client.deliver(change)) {
                        return;
                    }
                }
            }
            target = broadcast.goLive(client);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        for (ChangeClient client : broadcast.clients()) {
            client.end("dropped", "vigil is shutting down");
        }
        timer.shutdownNow();
        catchUps.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
