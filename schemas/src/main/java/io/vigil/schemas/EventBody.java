package io.vigil.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.avro.DataplaneEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Parses the body of {@code POST /api/v1/events} (SPEC section 6): a JSON array of events, or
 * JSON lines (blank lines skipped). All or nothing: one bad event rejects the body, and the
 * exception lists every problem of every event, each path prefixed with the event's index from 0
 * ({@code [3].spec.networking.inbound[0].port}); in JSON lines the index counts non-blank lines.
 * Stateless and thread-safe.
 */
public final class EventBody {

    private EventBody() {
    }

    /** @throws EventFormatException listing every problem of every event */
    public static List<DataplaneEvent> parse(String body) {
        return isJsonArray(body) ? parseArray(body) : parseLines(body);
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

    private static List<DataplaneEvent> parseArray(String body) {
        JsonNode array = EventJson.tree(body);
        List<DataplaneEvent> events = new ArrayList<>(array.size());
        List<Problem> problems = new ArrayList<>(0);
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            add(events, problems, i, () -> EventJson.parse(element));
        }
        return result(events, problems);
    }

    private static List<DataplaneEvent> parseLines(String body) {
        List<DataplaneEvent> events = new ArrayList<>();
        List<Problem> problems = new ArrayList<>(0);
        int index = 0;
        for (Iterator<String> lines = body.lines().iterator(); lines.hasNext(); ) {
            String line = lines.next();
            if (!line.isBlank()) {
                add(events, problems, index++, () -> EventJson.parse(line));
            }
        }
        return result(events, problems);
    }

    private static void add(List<DataplaneEvent> events, List<Problem> problems, int index, Supplier<DataplaneEvent> parse) {
        try {
            events.add(parse.get());
        } catch (EventFormatException invalid) {
            for (Problem problem : invalid.problems()) {
                problems.add(problem.under("[" + index + "]"));
            }
        }
    }

    private static List<DataplaneEvent> result(List<DataplaneEvent> events, List<Problem> problems) {
        if (!problems.isEmpty()) {
            throw new EventFormatException(problems);
        }
        return events;
    }
}
