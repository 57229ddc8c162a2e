package io.vigil.schemas;

import static io.vigil.schemas.EventJsonTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vigil.avro.DataplaneDeleted;
import io.vigil.avro.DataplaneEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBodyTest {

    private static final String CONNECTED =
            json("{'type':'stream-connected','mesh':'m','dataplane':'a','time':'2026-11-26T10:00:00Z','instance':'cp-1'}");
    private static final String DELETED = json("{'type':'dataplane-deleted','mesh':'m','dataplane':'b','time':'2026-11-26T10:00:00Z'}");
    private static final String BAD_PORT =
            json("{'type':'probe-result','mesh':'m','dataplane':'c','time':'2026-11-26T10:00:00Z','port':0,'healthy':true}");

    @Test
    void readsAJsonArrayInOrder() {
        List<DataplaneEvent> events = EventBody.parse(" [" + CONNECTED + ", " + DELETED + "]");

        assertThat(events).extracting(DataplaneEvent::getDataplane).containsExactly("a", "b");
    }

    @Test
    void readsJsonLinesSkippingBlankOnes() {
        List<DataplaneEvent> events = EventBody.parse(CONNECTED + "\r\n\n" + DELETED);

        assertThat(events).extracting(DataplaneEvent::getDataplane).containsExactly("a", "b");
    }

    @Test
    void prefixesEveryProblemOfAnArrayWithTheEventsIndex() {
        EventFormatException rejected = catchThrowableOfType(EventFormatException.class,
                () -> EventBody.parse("[" + CONNECTED + "," + BAD_PORT + ",42," + BAD_PORT + "]"));

        assertThat(rejected.problems()).extracting(Problem::toString).containsExactly(
                "[1].port: expected an integer from 1 to 65535, got 0",
                "[2]: expected an object, got 42",
                "[3].port: expected an integer from 1 to 65535, got 0");
    }

    @Test
    void problemsOfJsonLinesNameTheirLineFromOneCountingBlankLines() {
        EventFormatException rejected = catchThrowableOfType(EventFormatException.class,
                () -> EventBody.parse(CONNECTED + "\n\n" + BAD_PORT + "\n{oops\n"));

        assertThat(rejected.problems()).extracting(Problem::line).containsExactly(3L, 4L);
        assertThat(rejected.problems()).extracting(Problem::path).containsExactly("port", "");
        assertThat(rejected.problems().get(0).toString()).isEqualTo("line 3: port: expected an integer from 1 to 65535, got 0");
        assertThat(rejected.problems().get(1).message()).startsWith("malformed JSON");
    }

    @Test
    void theCheckAddsItsProblemsWhereTheDecodersGoAndPositionsNameEachEvent() {
        EventFormatException rejected = catchThrowableOfType(EventFormatException.class, () -> EventBody.read(
                "[" + CONNECTED + "," + DELETED + "]", event -> event.getPayload() instanceof DataplaneDeleted
                        ? List.of(new Problem("type", "not today")) : List.of()));
        assertThat(rejected.problems()).extracting(Problem::toString).containsExactly("[1].type: not today");

        EventBody lines = EventBody.read("\n" + CONNECTED + "\n\n" + DELETED, event -> List.of());
        assertThat(lines.events()).hasSize(2);
        assertThat(lines.position(0)).isEqualTo("line 2");
        assertThat(lines.position(1)).isEqualTo("line 4");
        assertThat(EventBody.read("[" + CONNECTED + "]", event -> List.of()).position(0)).isEqualTo("[0]");
    }

    @Test
    void aMalformedArrayIsOneProblem() {
        EventFormatException rejected = catchThrowableOfType(EventFormatException.class, () -> EventBody.parse("[" + CONNECTED + ","));

        assertThat(rejected.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEmpty();
            assertThat(problem.message()).startsWith("malformed JSON");
        });
    }

    @Test
    void anEmptyBodyHasNoEvents() {
        assertThat(EventBody.parse("")).isEmpty();
        assertThat(EventBody.parse("[]")).isEmpty();
    }
}
