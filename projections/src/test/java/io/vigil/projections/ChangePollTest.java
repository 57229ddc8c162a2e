package io.vigil.projections;

import static io.vigil.projections.TestChanges.PROXY_TOPIC;
import static io.vigil.projections.TestChanges.proxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A long-poll's sink with a live client, without Kafka or Quarkus: it answers soon after the
 * first change the filters pass with the changes sent by then and the cursor after them, and
 * after its wait with none and a cursor past what the filters skipped.
 */
class ChangePollTest {

    private static final ChangeFilter MESH_M1 = ChangeFilter.of("m1", null, null, null, ReadScope.EVERY_MESH);

    private final ChangeBroadcast broadcast = new ChangeBroadcast();
    private final FakeSse sse = new FakeSse();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void answersWithTheFirstChangesThatPassTheFiltersAndTheCursorAfterThem() throws Exception {
        broadcast.publish(proxy(0, 0, "m1", "d1", 1));
        ChangePoll poll = livePoll(Duration.ofMinutes(5));
        broadcast.publish(proxy(1, 0, "m2", "x", 1));
        assertThat(poll.answer().toCompletableFuture()).isNotDone();
        HealthChange d1 = proxy(0, 1, "m1", "d1", 2);
        broadcast.publish(d1);

        ChangePoll.Answer answer = poll.answer().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(answer.changes()).containsExactly(d1.json());
        assertThat(answer.reload()).isFalse();
        ChangeCursor index = ChangeCursor.decode(answer.index());
        assertThat(index.next(PROXY_TOPIC, 0)).isEqualTo(2);
        assertThat(index.next(PROXY_TOPIC, 1)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> broadcast.clients().isEmpty());
    }

    @Test
    void answersWithNoChangeAfterTheWaitAndACursorPastWhatTheFiltersSkipped() throws Exception {
        ChangePoll poll = livePoll(Duration.ofMillis(100));
        broadcast.publish(proxy(1, 0, "m2", "x", 1));

        ChangePoll.Answer answer = poll.answer().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(answer.changes()).isEmpty();
        assertThat(ChangeCursor.decode(answer.index()).next(PROXY_TOPIC, 1)).isEqualTo(1);
    }

    @Test
    void aSendAfterTheAnswerFails() throws Exception {
        ChangePoll poll = livePoll(Duration.ofMillis(1));
        poll.answer().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(poll.isClosed()).isTrue();
        CompletableFuture<?> late = poll.send(sse.newEvent("proxy", "{}")).toCompletableFuture();
        assertThat(late).isCompletedExceptionally();
    }

    /** A poll from the present, opened the way {@link ChangeStream#poll} opens one that needs no catch-up. */
    private ChangePoll livePoll(Duration wait) {
        ChangePoll poll = new ChangePoll(10, timer);
        ChangeClient client = new ChangeClient(poll, sse, MESH_M1, 10, broadcast.position(), broadcast::detach);
        poll.follow(client);
        assertThat(broadcast.attachLiveIfCurrent(client)).isTrue();
        client.open();
        poll.endAfter(wait);
        return poll;
    }
}
