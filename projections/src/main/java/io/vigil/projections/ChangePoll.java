package io.vigil.projections;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One long-poll ({@code GET /api/v1/changes/poll}): the sink of a {@link ChangeClient} that
 * collects the changes it is sent instead of writing them to a socket, and answers once. The
 * client is an ordinary stream client (filters, read scope, catch-up, held changes, bounds), so
 * the poll has the stream's guarantees; what it adds is when the stream ends: soon after the
 * first change, when {@code limit} changes are in, or after the wait. Ending queues the client's
 * final event after whatever it has queued, and that event's id (the cursor after everything
 * queued before it) is the answer's index, so no change is both left out and counted as seen.
 *
 * <p>Thread-safe: the client sends from whichever thread drains it; the timer ends the client.
 * Every send completes at once, so the client never waits on a poll.
 */
public final class ChangePoll implements SseEventSink {

    /**
     * What a poll answers: the changes' SPEC section 5 JSON texts, the cursor to poll from next,
     * and whether the changes since the index were too many to replay (re-read the state first).
     */
    public record Answer(List<String> changes, String index, boolean reload) {
    }

    private static final Set<String> CHANGES = Set.of("inbound", "proxy", "service");

    private final int limit;
    private final ScheduledExecutorService timer;
    private final CompletableFuture<Answer> answer = new CompletableFuture<>();
    private final List<String> changes = new ArrayList<>();
    private ChangeClient client;
    private ScheduledFuture<?> deadline;
    private boolean ending;

    ChangePoll(int limit, ScheduledExecutorService timer) {
        this.limit = limit;
        this.timer = timer;
    }

    /** The client that sends to this poll; set before it is opened. */
    synchronized void follow(ChangeClient client) {
        this.client = client;
    }

    /** Ends the poll after {@code wait} if nothing ended it before. */
    synchronized void endAfter(Duration wait) {
        if (!answer.isDone()) {
            deadline = timer.schedule(() -> end("the wait is over"), wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    CompletionStage<Answer> answer() {
        return answer;
    }

    @Override
    public CompletionStage<?> send(OutboundSseEvent event) {
        boolean endNow = false;
        synchronized (this) {
            if (answer.isDone()) {
                return CompletableFuture.failedFuture(new IllegalStateException("the poll has answered"));
            }
            if (event.getComment() != null || "bookmark".equals(event.getName())) {
                return CompletableFuture.completedFuture(null);
            }
            if (CHANGES.contains(event.getName())) {
                changes.add((String) event.getData());
                endNow = changes.size() == 1 || changes.size() >= limit;
            } else {
                // The client's final event: ours, or dropped (vigil stopping, a resume too far behind).
                String data = (String) event.getData();
                answer.complete(new Answer(List.copyOf(changes), event.getId(), data.contains("\"reload\": true")));
                if (deadline != null) {
                    deadline.cancel(false);
                }
            }
        }
        if (endNow) {
            // Not on this thread: it may be the follower's, inside the broadcast's monitor; and the
            // changes queued with this one still come first.
            timer.execute(() -> end("changes arrived"));
        }
        return CompletableFuture.completedFuture(null);
    }

    private void end(String reason) {
        ChangeClient ending;
        synchronized (this) {
            if (this.ending) {
                return;
            }
            this.ending = true;
            ending = client;
        }
        ending.end("poll-end", reason);
    }

    @Override
    public synchronized boolean isClosed() {
        return answer.isDone();
    }

    /** The client closes its sink after its final event, which answered; closing otherwise (a failed send) fails the poll. */
    @Override
    public synchronized void close() {
        if (!answer.isDone()) {
            answer.completeExceptionally(new IllegalStateException("the poll's client closed without a final event"));
        }
    }
}
