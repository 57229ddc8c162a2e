package io.vigil.schemas;

import io.vigil.avro.DataplaneEvent;
import java.util.List;
import java.util.stream.Collectors;

/** One non-blank line of a JSON-lines event file: the event, or why it is not one. */
public sealed interface EventLine permits EventLine.Parsed, EventLine.Rejected {

    /** The line's number in the file, from 1, counting blank lines too. */
    long number();

    /** A line that holds a valid event. */
    record Parsed(long number, DataplaneEvent event) implements EventLine {
    }

    /** A line that does not hold a valid event. */
    record Rejected(long number, List<Problem> problems) implements EventLine {

        public Rejected {
            problems = List.copyOf(problems);
        }

        /** E.g. {@code line 3: mesh: missing; expected a non-empty string}. */
        public String message() {
            return "line " + number + ": " + problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
        }
    }
}
