package io.vigil.projections;

import static io.vigil.projections.TestChanges.INBOUND_TOPIC;
import static io.vigil.projections.TestChanges.PROXY_TOPIC;
import static io.vigil.projections.TestChanges.SERVICE_TOPIC;
import static io.vigil.projections.TestChanges.inbound;
import static io.vigil.projections.TestChanges.proxy;
import static io.vigil.projections.TestChanges.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.projections.ChangeClient.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * One live stream client against a fake sink, without Kafka or Quarkus: the "follower" is the
 * test calling {@link ChangeBroadcast#publish}, the "catch-up" is the test calling
 * {@link ChangeClient#deliver}, and a slow client is a sink whose sends the test does not complete.
 */
class ChangeClientTest {

    private static final ChangeFilter ALL = ChangeFilter.of(null, null, null, null, ReadScope.EVERY_MESH);
    private static final ChangeFilter MESH_M1 = ChangeFilter.of("m1", null, null, null, ReadScope.EVERY_MESH);
    private static final Pattern KEY = Pattern.compile("\"key\":\"([^\"]+)\"");
    private static final Pattern VERSION = Pattern.compile("\"version\":(\\d+)");

    private final ChangeBroadcast broadcast = new ChangeBroadcast();
    private final FakeSse sse = new FakeSse();

    @Test
    void liveChangesArriveInPartitionOrderAndFilteredOnesOnlyMoveTheCursor() {
        FakeSink sink = FakeSink.fast();
        ChangeClient client = live(sink, MESH_M1, 10);
        HealthChange d1 = proxy(0, 0, "m1", "d1", 1);
        HealthChange d2 = proxy(0, 1, "m1", "d2", 1);
        HealthChange d3 = proxy(1, 1, "m1", "d3", 1);
        HealthChange web = service(0, 0, "m1", "web", 1);
        publish(d1, proxy(1, 0, "m2", "x", 1), d2, d3, web);

        assertThat(shown(sink.sent())).containsExactly(": connected", "proxy m1/d1 v1", "proxy m1/d2 v1", "proxy m1/d3 v1",
                "service m1/web v1");
        List<FakeSse.Event> events = sink.events();
        assertThat(events.get(0).data()).isEqualTo(d1.json());
        assertThat(events.get(3).data()).isEqualTo(web.json());
        ChangeCursor afterD1 = ChangeCursor.decode(events.get(0).id());
        assertThat(afterD1.next(PROXY_TOPIC, 0)).isEqualTo(1);
        assertThat(afterD1.next(PROXY_TOPIC, 1)).isZero();
        ChangeCursor afterD2 = ChangeCursor.decode(events.get(1).id());
        assertThat(afterD2.next(PROXY_TOPIC, 0)).isEqualTo(2);
        assertThat(afterD2.next(PROXY_TOPIC, 1)).as("the filtered m2 change was skipped, and counts as seen").isEqualTo(1);
        ChangeCursor afterWeb = ChangeCursor.decode(events.get(3).id());
        assertThat(afterWeb.next(PROXY_TOPIC, 1)).isEqualTo(2);
        assertThat(afterWeb.next(SERVICE_TOPIC, 0)).isEqualTo(1);
        assertThat(client.cursor().encode()).isEqualTo(events.get(3).id());

        // A follower that starts over publishes the same changes again: nothing is sent twice.
        publish(d1, d2, d3, web);
        assertThat(sink.events()).hasSize(4);
    }

    @Test
    void anEventIdResumesRightAfterThatEvent() throws Exception {
        FakeSink first = FakeSink.fast();
        live(first, MESH_M1, 10);
        List<HealthChange> log = List.of(proxy(0, 0, "m1", "d1", 1), proxy(1, 0, "m2", "x", 1), proxy(0, 1, "m1", "d2", 1),
                proxy(1, 1, "m1", "d3", 1), service(0, 0, "m1", "web", 1));
        log.forEach(broadcast::publish);
        String secondId = first.events().get(1).id();

        FakeSink second = FakeSink.fast();
        resume(second, MESH_M1, 10, secondId, log);

        assertThat(shown(second.sent())).containsExactly(": connected", "proxy m1/d3 v1", "service m1/web v1");
        assertThat(ids(second.events())).containsExactlyElementsOf(ids(first.events()).subList(2, 4));
    }

    @Test
    void aFullOutboxEndsTheStreamWithDroppedAndAResumeCursorAndNothingAfter() {
        FakeSink sink = FakeSink.slow();
        ChangeClient client = live(sink, MESH_M1, 2);
        publish(proxy(0, 0, "m1", "d1", 1), proxy(0, 1, "m1", "d2", 1));
        // The outbox is full, but a change the client does not want is only skipped.
        publish(proxy(1, 0, "m2", "x", 1));
        assertThat(sink.events()).isEmpty();
        publish(proxy(0, 2, "m1", "d3", 1), proxy(0, 3, "m1", "d4", 1));
        assertThat(client.state()).isEqualTo(State.ENDING);

        sink.completeAll();
        assertThat(shown(sink.sent())).containsExactly(": connected", "proxy m1/d1 v1", "proxy m1/d2 v1", "dropped");
        FakeSse.Event dropped = sink.events().get(2);
        assertThat(dropped.data()).isEqualTo("{\"reason\": \"the client reads slower than changes arrive: its buffer of 2 changes "
                + "overflowed\", \"resume\": \"" + dropped.id() + "\"}");
        ChangeCursor resume = ChangeCursor.decode(dropped.id());
        assertThat(resume.next(PROXY_TOPIC, 0)).as("d3, which overflowed, is the first to resume from").isEqualTo(2);
        assertThat(resume.next(PROXY_TOPIC, 1)).isEqualTo(1);
        assertThat(sink.isClosed()).isTrue();
        assertThat(sink.closes()).isEqualTo(1);
        assertThat(broadcast.clients()).isEmpty();
        assertThat(client.state()).isEqualTo(State.CLOSED);

        publish(proxy(0, 4, "m1", "d5", 1));
        client.offer(proxy(0, 5, "m1", "d6", 1));
        client.tick();
        client.tick();
        assertThat(sink.sent()).hasSize(4);
    }

    @Test
    void aSkippedCatchUpEndsWithDroppedAndReloadFromTheGivenPositionAndHoldsNothing() {
        publish(proxy(0, 0, "m1", "d1", 1), proxy(0, 1, "m1", "d1", 2));
        FakeSink sink = FakeSink.fast();
        ChangeClient client = catchingUp(sink, MESH_M1, 10, ChangeCursor.start());
        ChangeCursor present = ChangeCursor.start();
        present.advance(PROXY_TOPIC, 0, 1);

        client.skipTo(present, "too far");
        publish(proxy(0, 2, "m1", "d1", 3));

        assertThat(shown(sink.sent())).containsExactly(": connected", "dropped");
        FakeSse.Event dropped = sink.events().get(0);
        assertThat(dropped.id()).isEqualTo(present.encode());
        assertThat(dropped.data()).isEqualTo("{\"reason\": \"too far\", \"resume\": \"" + present.encode() + "\", \"reload\": true}");
        assertThat(client.state()).isEqualTo(State.CLOSED);
        assertThat(broadcast.clients()).isEmpty();
    }

    @Test
    void resumingDeliversTheCatchUpThenTheHeldLiveChangesWithoutTheOverlap() throws Exception {
        List<HealthChange> log = List.of(proxy(0, 0, "m1", "d1", 1), proxy(0, 1, "m1", "d1", 2), proxy(0, 2, "m1", "d1", 3),
                proxy(0, 3, "m1", "d1", 4), proxy(1, 0, "m1", "d2", 1), proxy(0, 4, "m1", "d1", 5));
        publish(log.get(0), log.get(1), log.get(2));
        ChangeCursor seenFirst = ChangeCursor.start();
        seenFirst.advance(PROXY_TOPIC, 0, 0);
        FakeSink sink = FakeSink.fast();
        ChangeClient client = client(sink, ALL, 10, seenFirst);
        client.open();

        ChangeCursor target = broadcast.attachCatchingUp(client);
        assertThat(target.next(PROXY_TOPIC, 0)).isEqualTo(3);
        assertThat(client.state()).isEqualTo(State.CATCHING_UP);
        publish(log.get(3), log.get(4));
        assertThat(shown(sink.sent())).as("live changes wait while catching up").containsExactly(": connected");
        // The catch-up reads from the cursor to the target, and its last poll a little past it.
        for (HealthChange change : log.subList(1, 4)) {
            assertThat(client.deliver(change)).isTrue();
        }
        assertThat(broadcast.goLive(client)).isNull();
        assertThat(client.state()).isEqualTo(State.LIVE);
        publish(log.get(5));

        assertThat(shown(sink.sent())).containsExactly(": connected", "proxy m1/d1 v2", "proxy m1/d1 v3", "proxy m1/d1 v4",
                "proxy m1/d2 v1", "proxy m1/d1 v5");
    }

    @Test
    void heldLiveChangesThatOverflowMakeTheCatchUpReadFurtherInsteadOfDropping() throws Exception {
        List<HealthChange> log = new ArrayList<>();
        for (int offset = 0; offset < 6; offset++) {
            log.add(proxy(0, offset, "m1", "d1", offset + 1));
        }
        FakeSink sink = FakeSink.fast();
        ChangeClient client = client(sink, ALL, 2, ChangeCursor.start());
        client.open();
        ChangeCursor target = broadcast.attachCatchingUp(client);
        assertThat(target.next(PROXY_TOPIC, 0)).isZero();
        publish(log.get(0), log.get(1), log.get(2), log.get(3));
        assertThat(client.state()).isEqualTo(State.CATCHING_UP_OVERFLOWED);

        ChangeCursor further = broadcast.goLive(client);
        assertThat(further).as("held changes were lost: read further").isNotNull();
        assertThat(further.next(PROXY_TOPIC, 0)).isEqualTo(4);
        assertThat(client.state()).isEqualTo(State.CATCHING_UP);
        publish(log.get(4));
        for (HealthChange change : log.subList(0, 4)) {
            assertThat(client.deliver(change)).isTrue();
        }
        assertThat(broadcast.goLive(client)).isNull();
        publish(log.get(5));

        assertThat(shown(sink.sent())).containsExactly(": connected", "proxy m1/d1 v1", "proxy m1/d1 v2", "proxy m1/d1 v3",
                "proxy m1/d1 v4", "proxy m1/d1 v5", "proxy m1/d1 v6");
        assertThat(sink.isClosed()).isFalse();
    }

    @Test
    void theCatchUpWaitsWhileTheOutboxIsFullAndStopsWhenTheClientEnds() throws Exception {
        FakeSink sink = FakeSink.slow();
        ChangeClient client = catchingUp(sink, ALL, 1, ChangeCursor.start());
        assertThat(client.deliver(proxy(0, 0, "m1", "d1", 1))).isTrue();

        FutureTask<Boolean> second = deliverOnAnotherThread(client, proxy(0, 1, "m1", "d1", 2));
        assertThat(second.isDone()).isFalse();
        sink.complete(1);
        assertThat(second.get()).isTrue();
        assertThat(shown(sink.sent())).containsExactly(": connected", "proxy m1/d1 v1");

        FutureTask<Boolean> third = deliverOnAnotherThread(client, proxy(0, 2, "m1", "d1", 3));
        client.end("dropped", "vigil is shutting down");
        assertThat(third.get()).as("a catch-up stops once its client is gone").isFalse();
        sink.completeAll();
        assertThat(shown(sink.sent())).containsExactly(": connected", "proxy m1/d1 v1", "proxy m1/d1 v2", "dropped");
    }

    @Test
    void aClientResumedFromTheDroppedCursorGetsExactlyWhatTheFirstMissed() throws Exception {
        List<HealthChange> log = List.of(proxy(0, 0, "m1", "d1", 1), proxy(1, 0, "m1", "d2", 1), proxy(0, 1, "m1", "d1", 2),
                proxy(1, 1, "m1", "d2", 2), proxy(0, 2, "m2", "x", 1), proxy(1, 2, "m1", "d2", 3), proxy(0, 3, "m1", "d1", 3),
                proxy(1, 3, "m1", "d2", 4), service(0, 0, "m1", "web", 1));
        FakeSink first = FakeSink.slow();
        live(first, MESH_M1, 3);
        log.forEach(broadcast::publish);
        first.completeAll();
        List<String> firstGot = shown(first.events());
        assertThat(firstGot).containsExactly("proxy m1/d1 v1", "proxy m1/d2 v1", "proxy m1/d1 v2", "dropped");
        String resume = first.events().get(3).id();

        FakeSink second = FakeSink.fast();
        resume(second, MESH_M1, 3, resume, log);

        assertThat(shown(second.events())).containsExactly("proxy m1/d2 v2", "proxy m1/d2 v3", "proxy m1/d1 v3", "proxy m1/d2 v4",
                "service m1/web v1");
        List<String> both = new ArrayList<>(firstGot.subList(0, 3));
        both.addAll(shown(second.events()));
        assertThat(both).as("nothing twice, nothing lost").containsExactlyInAnyOrder("proxy m1/d1 v1", "proxy m1/d1 v2",
                "proxy m1/d1 v3", "proxy m1/d2 v1", "proxy m1/d2 v2", "proxy m1/d2 v3", "proxy m1/d2 v4", "service m1/web v1");
    }

    @Test
    void theInitialStateComesFirstThenABookmarkOfItsPositionThenExactlyTheLiveChangesAfterIt() throws Exception {
        publish(proxy(0, 0, "m1", "d1", 1), proxy(1, 0, "m2", "x", 1), service(0, 0, "m1", "web", 1), proxy(0, 1, "m1", "d1", 2),
                inbound(0, 0, "m1", "d1", 8080, 1));
        FakeSink sink = FakeSink.fast();
        ChangeClient client = client(sink, MESH_M1, 10, ChangeCursor.start());
        client.open();
        InitialState state = broadcast.attachWithInitialState(client, MESH_M1);
        // Published while the state is on its way: held, and sent after the bookmark.
        publish(proxy(0, 2, "m1", "d1", 3));
        for (InitialState.Entity entity : state.entities()) {
            assertThat(client.deliverInitial(entity)).isTrue();
        }
        client.endInitialState(state.position());
        assertThat(broadcast.goLive(client)).isNull();
        publish(service(0, 1, "m1", "web", 2), proxy(0, 1, "m1", "d1", 2));

        assertThat(shown(sink.sent())).containsExactly(": connected", "inbound m1/d1/8080 v1", "proxy m1/d1 v2", "service m1/web v1",
                "bookmark", "proxy m1/d1 v3", "service m1/web v2");
        List<FakeSse.Event> events = sink.events();
        assertThat(events.subList(0, 3)).allSatisfy(e -> {
            assertThat(e.id()).as("initial state has no position of its own").isNull();
            assertThat(e.data()).containsPattern("\"previous(Status|Ready)\":null,\"cause\":null,\"initial\":true}$");
        });
        assertThat(events.get(1).data()).startsWith("{\"level\":\"proxy\",\"key\":\"m1/d1\",\"mesh\":\"m1\",\"dataplane\":\"d1\","
                + "\"version\":2,\"tombstone\":false,\"state\":{");
        FakeSse.Event bookmark = events.get(3);
        ChangeCursor position = ChangeCursor.decode(bookmark.id());
        assertThat(position.next(PROXY_TOPIC, 0)).isEqualTo(2);
        assertThat(position.next(PROXY_TOPIC, 1)).isEqualTo(1);
        assertThat(position.next(SERVICE_TOPIC, 0)).isEqualTo(1);
        assertThat(position.next(INBOUND_TOPIC, 0)).isEqualTo(1);
        assertThat(bookmark.data()).isEqualTo("{\"cursor\": \"" + bookmark.id() + "\", \"endOfInitialState\": true}");
        assertThat(client.state()).isEqualTo(State.LIVE);
    }

    @Test
    void theInitialStateHoldsOnlyWhatTheFiltersAndTheReadScopePass() throws Exception {
        publish(proxy(0, 0, "m1", "d1", 1), proxy(0, 1, "m1", "d2", 1), proxy(1, 0, "m2", "d1", 1), proxy(1, 1, "m3", "d1", 1),
                inbound(0, 0, "m1", "d1", 8080, 1), service(0, 0, "m1", "web", 1), service(0, 1, "m3", "web", 1));
        ReadScope m1AndM2 = ReadScope.of(Set.of("m1", "m2"));
        assertThat(initialState(ChangeFilter.of(null, "proxy", null, "d1", m1AndM2))).containsExactly("proxy m1/d1 v1", "proxy m2/d1 v1");
        assertThat(initialState(ChangeFilter.of("m1", "inbound,service", "web", null, m1AndM2)))
                .containsExactly("inbound m1/d1/8080 v1", "service m1/web v1");
        assertThat(initialState(ChangeFilter.of(null, null, null, null, m1AndM2))).doesNotContain("proxy m3/d1 v1", "service m3/web v1");
    }

    @Test
    void anIdleLiveStreamGetsABookmarkWithItsCursorAndOneThatWasSentAChangeDoesNot() {
        FakeSink sink = FakeSink.fast();
        ChangeClient client = live(sink, MESH_M1, 10);
        publish(proxy(1, 0, "m2", "x", 1));
        client.tickBookmark();
        publish(proxy(0, 0, "m1", "d1", 1));
        client.tickBookmark();
        client.tickBookmark();
        ChangeClient catchingUp = catchingUp(FakeSink.fast(), MESH_M1, 10, ChangeCursor.start());
        catchingUp.tickBookmark();

        assertThat(shown(sink.sent())).containsExactly(": connected", "bookmark", "proxy m1/d1 v1", "bookmark");
        List<FakeSse.Event> events = sink.events();
        ChangeCursor skipped = ChangeCursor.decode(events.get(0).id());
        assertThat(skipped.next(PROXY_TOPIC, 1)).as("the bookmark moves past what the filter skipped").isEqualTo(1);
        assertThat(events.get(0).data()).isEqualTo("{\"cursor\": \"" + events.get(0).id() + "\"}");
        assertThat(events.get(2).id()).isEqualTo(events.get(1).id()).isEqualTo(client.cursor().encode());
        assertThat(catchingUp.state()).isEqualTo(State.CATCHING_UP);
    }

    @Test
    void anIdleStreamGetsAKeepaliveAndABusyOneDoesNot() {
        FakeSink sink = FakeSink.slow();
        ChangeClient client = live(sink, ALL, 10);
        client.tick();
        assertThat(shown(sink.sent())).as("the connected comment is still being sent").containsExactly(": connected");
        sink.completeAll();
        client.tick();
        assertThat(shown(sink.sent())).containsExactly(": connected", ": keepalive");
        sink.completeAll();
        publish(proxy(0, 0, "m1", "d1", 1));
        sink.completeAll();
        client.tick();
        sink.completeAll();
        assertThat(shown(sink.sent())).containsExactly(": connected", ": keepalive", "proxy m1/d1 v1", ": keepalive");
        assertThat(sink.events().get(0).id()).as("a comment does not move the cursor").isEqualTo(client.cursor().encode());
    }

    @Test
    void aClientThatNeverReadsItsFinalEventIsClosedTwoTicksLater() {
        FakeSink sink = FakeSink.slow();
        ChangeClient client = live(sink, ALL, 10);
        sink.completeAll();
        publish(proxy(0, 0, "m1", "d1", 1));
        client.end("dropped", "vigil is shutting down");
        assertThat(shown(sink.sent())).containsExactly(": connected", "proxy m1/d1 v1");

        client.tick();
        assertThat(sink.isClosed()).isFalse();
        assertThat(client.state()).isEqualTo(State.ENDING);
        assertThat(broadcast.clients()).containsExactly(client);
        client.tick();
        assertThat(client.state()).isEqualTo(State.CLOSED);
        assertThat(sink.isClosed()).isTrue();
        assertThat(broadcast.clients()).isEmpty();

        // The stuck send completes after all: nothing more goes out.
        sink.completeAll();
        assertThat(shown(sink.sent())).containsExactly(": connected", "proxy m1/d1 v1");
        assertThat(sink.closes()).isEqualTo(1);
    }

    @Test
    void shuttingDownSendsTheFinalEventWithTheCursorAndCloses() {
        FakeSink sink = FakeSink.fast();
        ChangeClient client = live(sink, ALL, 10);
        publish(proxy(0, 0, "m1", "d1", 1), proxy(0, 1, "m1", "d1", 2));
        String cursor = client.cursor().encode();

        client.end("dropped", "vigil is shutting down");
        client.end("dropped", "a second end changes nothing");

        assertThat(shown(sink.sent())).containsExactly(": connected", "proxy m1/d1 v1", "proxy m1/d1 v2", "dropped");
        FakeSse.Event dropped = sink.events().get(2);
        assertThat(dropped.id()).isEqualTo(cursor);
        assertThat(dropped.data()).isEqualTo("{\"reason\": \"vigil is shutting down\", \"resume\": \"" + cursor + "\"}");
        assertThat(sink.isClosed()).isTrue();
        assertThat(broadcast.clients()).isEmpty();
        assertThat(client.gone()).isTrue();
    }

    @Test
    void aClientThatWentAwayIsDetachedAtTheNextChange() {
        FakeSink sink = FakeSink.fast();
        ChangeClient client = live(sink, ALL, 10);
        sink.disconnect();
        publish(proxy(0, 0, "m1", "d1", 1));
        assertThat(broadcast.clients()).isEmpty();
        assertThat(client.gone()).isTrue();
        assertThat(shown(sink.sent())).containsExactly(": connected");
    }

    @Test
    void aFailedSendClosesTheStream() {
        FakeSink sink = FakeSink.slow();
        ChangeClient client = live(sink, ALL, 10);
        publish(proxy(0, 0, "m1", "d1", 1));
        sink.failNext();
        assertThat(sink.isClosed()).isTrue();
        assertThat(broadcast.clients()).isEmpty();
        assertThat(client.gone()).isTrue();
        assertThat(shown(sink.sent())).containsExactly(": connected");
    }

    @Test
    void shuttingDownACatchingUpClientSendsNothingAfterTheFinalEvent() throws Exception {
        FakeSink sink = FakeSink.slow();
        ChangeClient client = catchingUp(sink, ALL, 10, ChangeCursor.start());
        assertThat(client.deliver(proxy(0, 0, "m1", "d1", 1))).isTrue();
        publish(proxy(0, 1, "m1", "d1", 2));

        client.end("dropped", "vigil is shutting down");
        assertThat(client.deliver(proxy(0, 1, "m1", "d1", 2))).isFalse();
        assertThat(broadcast.goLive(client)).as("the catch-up stops; held changes stay unsent").isNull();
        sink.completeAll();

        assertThat(shown(sink.sent())).containsExactly(": connected", "proxy m1/d1 v1", "dropped");
        assertThat(ChangeCursor.decode(sink.events().get(1).id()).next(PROXY_TOPIC, 0)).isEqualTo(1);
        assertThat(client.state()).isEqualTo(State.CLOSED);
        assertThat(broadcast.clients()).isEmpty();
    }

    @Test
    void aCatchUpWhoseHeldChangesOverflowedStopsWhenItsClientHasEnded() {
        FakeSink sink = FakeSink.fast();
        ChangeClient client = catchingUp(sink, ALL, 1, ChangeCursor.start());
        publish(proxy(0, 0, "m1", "d1", 1), proxy(0, 1, "m1", "d1", 2));
        client.end("dropped", "vigil is shutting down");

        assertThat(broadcast.goLive(client)).isNull();
        assertThat(client.state()).isEqualTo(State.CLOSED);
        assertThat(shown(sink.sent())).containsExactly(": connected", "dropped");
    }

    @Test
    void aClientGoneBeforeItsCatchUpStartsIsNotAttached() {
        FakeSink sink = FakeSink.slow();
        ChangeClient client = client(sink, ALL, 10, ChangeCursor.start());
        client.open();
        sink.failNext();
        assertThat(client.state()).isEqualTo(State.CLOSED);

        assertThat(broadcast.attachCatchingUp(client)).isNull();
        assertThat(broadcast.clients()).isEmpty();
        assertThat(client.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void eachStateListsWhereItMayGo() {
        Map<State, EnumSet<State>> legal = Map.of(
                State.NEW, EnumSet.of(State.LIVE, State.CATCHING_UP, State.ENDING, State.CLOSED),
                State.CATCHING_UP, EnumSet.of(State.LIVE, State.CATCHING_UP_OVERFLOWED, State.ENDING, State.CLOSED),
                State.CATCHING_UP_OVERFLOWED, EnumSet.of(State.CATCHING_UP, State.ENDING, State.CLOSED),
                State.LIVE, EnumSet.of(State.ENDING, State.CLOSED),
                State.ENDING, EnumSet.of(State.CLOSED),
                State.CLOSED, EnumSet.noneOf(State.class));
        for (State from : State.values()) {
            for (State to : State.values()) {
                assertThat(from.canTransitionTo(to)).as(from + " -> " + to).isEqualTo(legal.get(from).contains(to));
            }
        }
    }

    @Test
    void illegalTransitionsThrowAndChangeNothing() {
        FakeSink sink = FakeSink.fast();
        ChangeClient live = live(sink, ALL, 10);
        assertThatThrownBy(() -> broadcast.attachLive(live)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not from LIVE");
        assertThatThrownBy(live::holdLive).isInstanceOf(IllegalStateException.class).hasMessageContaining("from LIVE to CATCHING_UP");
        assertThatThrownBy(live::goLive).isInstanceOf(IllegalStateException.class).hasMessageContaining("not from LIVE");
        assertThatThrownBy(() -> live.deliver(proxy(0, 0, "m1", "d1", 1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not from LIVE");
        assertThat(live.state()).isEqualTo(State.LIVE);
        assertThat(broadcast.clients()).containsExactly(live);

        ChangeClient catchingUp = client(FakeSink.fast(), ALL, 10, ChangeCursor.start());
        assertThatThrownBy(catchingUp::goLive).isInstanceOf(IllegalStateException.class).hasMessageContaining("not from NEW");
        broadcast.attachCatchingUp(catchingUp);
        assertThatThrownBy(() -> catchingUp.startLive(ChangeCursor.start())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not from CATCHING_UP");
        assertThatThrownBy(catchingUp::holdLive).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("from CATCHING_UP to CATCHING_UP");
        assertThat(catchingUp.state()).isEqualTo(State.CATCHING_UP);

        live.end("dropped", "vigil is shutting down");
        assertThat(live.state()).isEqualTo(State.CLOSED);
        assertThatThrownBy(() -> live.startLive(ChangeCursor.start())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not from CLOSED");
    }

    /** The entities of the initial state a client of {@code filter} gets now, shown as {@link #shown} shows events. */
    private List<String> initialState(ChangeFilter filter) throws InterruptedException {
        FakeSink sink = FakeSink.fast();
        ChangeClient client = client(sink, filter, 10, ChangeCursor.start());
        for (InitialState.Entity entity : broadcast.attachWithInitialState(client, filter).entities()) {
            client.deliverInitial(entity);
        }
        return shown(sink.sent());
    }

    private ChangeClient client(FakeSink sink, ChangeFilter filter, int capacity, ChangeCursor cursor) {
        return new ChangeClient(sink, sse, filter, capacity, cursor, broadcast::detach);
    }

    /** A client that starts at the broadcast's position, the way {@link ChangeStream} opens one without a cursor. */
    private ChangeClient live(FakeSink sink, ChangeFilter filter, int capacity) {
        ChangeClient client = client(sink, filter, capacity, ChangeCursor.start());
        broadcast.attachLive(client);
        client.open();
        return client;
    }

    /** A client opened with a resume cursor and attached to catch up, as {@link ChangeStream} does before it reads Kafka. */
    private ChangeClient catchingUp(FakeSink sink, ChangeFilter filter, int capacity, ChangeCursor from) {
        ChangeClient client = client(sink, filter, capacity, from);
        client.open();
        broadcast.attachCatchingUp(client);
        return client;
    }

    /**
     * A client resumed from {@code cursor} the way {@link ChangeStream} resumes one, its catch-up
     * reading {@code read} (from before the cursor on, like a consumer that did not seek): attached,
     * fed everything, then live.
     */
    private void resume(FakeSink sink, ChangeFilter filter, int capacity, String cursor, List<HealthChange> read)
            throws InterruptedException {
        ChangeClient client = catchingUp(sink, filter, capacity, ChangeCursor.decode(cursor));
        for (HealthChange change : read) {
            assertThat(client.deliver(change)).isTrue();
        }
        assertThat(broadcast.goLive(client)).isNull();
    }

    private void publish(HealthChange... changes) {
        for (HealthChange change : changes) {
            broadcast.publish(change);
        }
    }

    private static FutureTask<Boolean> deliverOnAnotherThread(ChangeClient client, HealthChange change) {
        FutureTask<Boolean> task = new FutureTask<>(() -> client.deliver(change));
        Thread thread = new Thread(task, "test-catch-up");
        thread.setDaemon(true);
        thread.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> task.isDone() || thread.getState() == Thread.State.WAITING);
        return task;
    }

    /** Events as {@code level mesh/name vN}, comments as {@code : text}, other events by name. */
    private static List<String> shown(List<FakeSse.Event> events) {
        List<String> shown = new ArrayList<>();
        for (FakeSse.Event event : events) {
            if (event.isComment()) {
                shown.add(": " + event.comment());
                continue;
            }
            Matcher key = KEY.matcher(event.data());
            Matcher version = VERSION.matcher(event.data());
            shown.add(key.find() && version.find() ? event.name() + " " + key.group(1) + " v" + version.group(1) : event.name());
        }
        return shown;
    }

    private static List<String> ids(List<FakeSse.Event> events) {
        return events.stream().map(FakeSse.Event::id).toList();
    }
}
