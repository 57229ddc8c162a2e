package io.vigil.schemas;

import java.util.List;
import java.util.stream.Collectors;

/** An event's JSON is malformed; carries every problem found, not just the first. */
public final class EventFormatException extends RuntimeException {

    private final List<Problem> problems;

    public EventFormatException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an EventFormatException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
