package io.vigil.schemas;

import static io.vigil.schemas.EventJsonTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EventLinesTest {

    private static final String DELETED = json("{'type':'dataplane-deleted','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00Z'}");

    @Test
    void yieldsEachNonBlankLineWithItsNumberAndGoesOnAfterABadOne() {
        String file = "\uFEFF" + DELETED + "\n\n   \r\n" + json("{'type':'nope'}") + "\r\n" + DELETED + "\n";

        List<EventLine> lines;
        try (Stream<EventLine> stream = EventLines.read(new StringReader(file))) {
            lines = stream.toList();
        }

        assertThat(lines).extracting(EventLine::number).containsExactly(1L, 4L, 5L);
        assertThat(lines.get(0)).isInstanceOf(EventLine.Parsed.class);
        assertThat(((EventLine.Parsed) lines.get(2)).event().getDataplane()).isEqualTo("d");
        EventLine.Rejected rejected = (EventLine.Rejected) lines.get(1);
        assertThat(rejected.problems()).extracting(Problem::path).containsExactly("type", "mesh", "dataplane", "time");
        assertThat(rejected.message()).startsWith("line 4: type: expected one of dataplane-upserted")
                .contains("; mesh: missing; expected a non-empty string");
    }

    @Test
    void malformedJsonIsAProblemOfItsLine() {
        try (Stream<EventLine> stream = EventLines.read(new StringReader(DELETED + "\n{\"type\":\n"))) {
            EventLine.Rejected rejected = (EventLine.Rejected) stream.skip(1).findFirst().orElseThrow();

            assertThat(rejected.message()).startsWith("line 2: malformed JSON: ");
        }
    }

    @Test
    void anEmptyStreamYieldsNothing() {
        try (Stream<EventLine> stream = EventLines.read(new StringReader("\n \n"))) {
            assertThat(stream).isEmpty();
        }
    }
}
