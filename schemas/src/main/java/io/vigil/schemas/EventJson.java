package io.vigil.schemas;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.avro.DataplaneEvent;
import java.util.List;

/**
 * The JSON form of an event (SPEC section 1), both ways. Parsing validates and reports every
 * problem at once ({@link EventFormatException}); rendering gives the canonical form, so that
 * JSON to Avro to JSON returns the same JSON value up to member order, times as
 * {@link java.time.Instant#toString()}, durations as Go writes them, absent optional members for
 * JSON nulls, and no {@code inbound} member for an empty list.
 *
 * <p>Thread-safe: one shared, immutable Jackson configuration serves every caller.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // A repeated member would otherwise silently win over the first: reject it like any malformed input.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Decimals in unmodelled members travel as text in extra: keep their digits exactly.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final ObjectReader READER = MAPPER.reader();
    private static final EventDecoder DECODER = new EventDecoder(MAPPER.writer());
    private static final EventRenderer RENDERER = new EventRenderer(READER);

    private EventJson() {
    }

    /** @throws EventFormatException listing every problem, including malformed JSON */
    public static DataplaneEvent parse(String json) {
        return parse(tree(json));
    }

    /** @throws EventFormatException listing every problem */
    public static DataplaneEvent parse(JsonNode json) {
        return DECODER.decode(json);
    }

    /**
     * The canonical JSON of {@code event}.
     *
     * @throws IllegalArgumentException if the record holds what no valid event has, such as an
     *     {@code extra} that is not a JSON object or a non-positive duration
     */
    public static ObjectNode render(DataplaneEvent event) {
        return RENDERER.render(event);
    }

    /** The canonical JSON of {@code event} as compact text, e.g. one line of a JSON-lines file. */
    public static String renderText(DataplaneEvent event) {
        try {
            return MAPPER.writeValueAsString(render(event));
        } catch (JsonProcessingException cannotHappenForATree) {
            throw new IllegalStateException(cannotHappenForATree);
        }
    }

    /** Reads JSON text into a tree. @throws EventFormatException with one problem when it is malformed */
    static JsonNode tree(String json) {
        try {
            return READER.readTree(json);
        } catch (JsonProcessingException malformed) {
            JsonLocation at = malformed.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new EventFormatException(List.of(new Problem("", "malformed JSON: " + malformed.getOriginalMessage() + where)));
        }
    }
}
