package io.vigil.schemas;

import static io.vigil.schemas.EventJsonTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
    void prefixesProblemsOfJsonLinesWithTheIndexAmongNonBlankLines() {
        EventFormatException rejected = catchThrowableOfType(EventFormatException.class,
                () -> EventBody.parse(CONNECTED + "\n\n" + BAD_PORT + "\n{oops\n"));

        assertThat(rejected.problems()).extracting(Problem::path).containsExactly("[1].port", "[2]");
        assertThat(rejected.problems().get(1).message()).startsWith("malformed JSON");
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
