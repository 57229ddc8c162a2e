package io.vigil.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.avro.DataplaneEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The body of {@code POST /api/v1/events} (SPEC section 6): a JSON array of events, or JSON lines
 * (blank lines skipped). All or nothing: one bad event rejects the body, and the exception lists
 * every problem of every event: in an array each path is prefixed with the event's index from 0
 * ({@code [3].spec.networking.inbound[0].port}); in JSON lines each problem names its line, from 1,
 * counting blank lines too. Immutable; the parsing is stateless and thread-safe.
 */
public final class EventBody {

    private static final Function<DataplaneEvent, List<Problem>> NO_CHECK = event -> List.of();

    private final List<DataplaneEvent> events;
    /** Each event's line in JSON lines, from 1; null for an array. */
    private final long[] lines;

    private EventBody(List<DataplaneEvent> events, long[] lines) {
        this.events = events;
        this.lines = lines;
    }

    /** @throws EventFormatException listing every problem of every event */
    public static List<DataplaneEvent> parse(String body) {
        return read(body, NO_CHECK).events();
    }

    /**
     * Parses the body and applies {@code check} (more rules, such as limits) to every event that
     * decodes; its problems are reported as the decoding problems are.
     *
     * @throws EventFormatException listing every problem of every event
     */
    public static EventBody read(String body, Function<DataplaneEvent, List<Problem>> check) {
        return isJsonArray(body) ? readArray(body, check) : readLines(body, check);
    }

    public List<DataplaneEvent> events() {
        return events;
    }

    /** Where the {@code index}th event (from 0) stands in the body: {@code [3]}, or {@code line 4} in JSON lines. */
    public String position(int index) {
        return lines == null ? "[" + index + "]" : "line " + lines[index];
    }

    private static boolean isJsonArray(String body) {
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '[';
            }
        }
        return false;
    }

    private static EventBody readArray(String body, Function<DataplaneEvent, List<Problem>> check) {
        JsonNode array = EventJson.tree(body);
        List<DataplaneEvent> events = new ArrayList<>(array.size());
        List<Problem> problems = new ArrayList<>(0);
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            String index = "[" + i + "]";
            add(events, problems, () -> EventJson.parse(element), check, problem -> problem.under(index));
        }
        return result(events, problems, null);
    }

    private static EventBody readLines(String body, Function<DataplaneEvent, List<Problem>> check) {
        List<DataplaneEvent> events = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        List<Problem> problems = new ArrayList<>(0);
        long number = 0;
        for (Iterator<String> it = body.lines().iterator(); it.hasNext(); ) {
            String line = it.next();
            number++;
            if (!line.isBlank()) {
                long at = number;
                if (add(events, problems, () -> EventJson.parse(line), check, problem -> problem.onLine(at))) {
                    lines.add(at);
                }
            }
        }
        return result(events, problems, lines.stream().mapToLong(Long::longValue).toArray());
    }

    /** @return whether the event decoded and passed the check */
    private static boolean add(List<DataplaneEvent> events, List<Problem> problems, Supplier<DataplaneEvent> parse,
                               Function<DataplaneEvent, List<Problem>> check, Function<Problem, Problem> place) {
        List<Problem> found;
        DataplaneEvent event = null;
        try {
            event = parse.get();
            found = check.apply(event);
        } catch (EventFormatException invalid) {
            found = invalid.problems();
        }
        if (found.isEmpty()) {
            events.add(event);
            return true;
        }
        found.forEach(problem -> problems.add(place.apply(problem)));
        return false;
    }

    private static EventBody result(List<DataplaneEvent> events, List<Problem> problems, long[] lines) {
        if (!problems.isEmpty()) {
            throw new EventFormatException(problems);
        }
        return new EventBody(List.copyOf(events), lines);
    }
}
