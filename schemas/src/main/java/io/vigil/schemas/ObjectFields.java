package io.vigil.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the members of one JSON object as the types the event format expects, reporting a
 * {@link Problem} for every member that is missing, of the wrong type or out of range. A reader
 * returns null when the member is absent (optional members) or when it reported a problem.
 * {@link #isClean()} tells whether anything under this object was reported: callers build Avro
 * records, whose primitive fields reject null, only from clean input.
 *
 * <p>One instance per JSON object per decode; not thread-safe.
 */
final class ObjectFields {

    private static final String NON_EMPTY_STRING = "a non-empty string";
    private static final String STRING = "a string";
    private static final String BOOLEAN = "true or false";
    private static final String OBJECT = "an object";
    private static final String ARRAY = "an array";
    private static final String INSTANT = "an ISO-8601 instant with offset such as \"2026-11-26T10:00:00Z\"";
    private static final String DURATION =
            "a positive duration of whole milliseconds such as \"1s\", \"1m30s\" or \"500ms\"";
    // Instant.toString() writes other years with a sign, which this format would not read back.
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final ObjectNode node;
    private final JsonPath path;
    private final Problems problems;
    private final int problemsBefore;

    private ObjectFields(ObjectNode node, JsonPath path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        this.problemsBefore = problems.count();
    }

    /** The fields of {@code value}, or null after reporting a problem when it is not an object. */
    static ObjectFields of(JsonNode value, JsonPath at, Problems problems) {
        if (value.isObject()) {
            return new ObjectFields((ObjectNode) value, at, problems);
        }
        problems.add(at, "expected " + OBJECT + ", got " + describe(value));
        return null;
    }

    /** Whether no problem was reported under this object since it was entered. */
    boolean isClean() {
        return problems.count() == problemsBefore;
    }

    JsonPath path() {
        return path;
    }

    Problems problems() {
        return problems;
    }

    /** The member's value; null when absent or JSON null, which optional members treat alike. */
    JsonNode get(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    String requiredText(String name) {
        JsonNode value = required(name, NON_EMPTY_STRING);
        return value == null ? null : text(value, path.member(name), problems);
    }

    String optionalText(String name) {
        JsonNode value = get(name);
        return value == null ? null : text(value, path.member(name), problems);
    }

    /** A string that may be empty, such as a probe's detail. */
    String optionalString(String name) {
        JsonNode value = get(name);
        if (value == null || value.isTextual()) {
            return value == null ? null : wellFormed(value.textValue(), path.member(name), problems);
        }
        problems.add(path.member(name), "expected " + STRING + ", got " + describe(value));
        return null;
    }

    Integer requiredInt(String name, int min, int max) {
        JsonNode value = required(name, integerRange(min, max));
        return value == null ? null : integer(value, path.member(name), min, max, problems);
    }

    Integer optionalInt(String name, int min, int max) {
        JsonNode value = get(name);
        return value == null ? null : integer(value, path.member(name), min, max, problems);
    }

    Boolean requiredBoolean(String name) {
        JsonNode value = required(name, BOOLEAN);
        return value == null ? null : bool(value, name);
    }

    Boolean optionalBoolean(String name) {
        JsonNode value = get(name);
        return value == null ? null : bool(value, name);
    }

    /** An instant with offset, at most microsecond precision (what Avro's timestamp-micros keeps). */
    Instant requiredInstant(String name) {
        JsonNode value = required(name, INSTANT);
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            try {
                Instant instant = OffsetInstant.parse(value.textValue());
                if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                    problems.add(path.member(name), "expected an instant in the years 0000 to 9999, got " + describe(value));
                    return null;
                }
                if (instant.getNano() % 1000 != 0) {
                    problems.add(path.member(name), "expected at most microsecond precision, got " + describe(value));
                    return null;
                }
                return instant;
            } catch (DateTimeException notAnInstant) {
                // reported below, with what was expected
            }
        }
        problems.add(path.member(name), "expected " + INSTANT + ", got " + describe(value));
        return null;
    }

    /** A Go duration such as {@code "1s"}, as whole milliseconds. */
    Long optionalDurationMillis(String name) {
        JsonNode value = get(name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(path.member(name), "expected " + DURATION + ", got " + describe(value));
            return null;
        }
        try {
            return GoDuration.parseMillis(value.textValue());
        } catch (IllegalArgumentException invalid) {
            problems.add(path.member(name),
                    "expected " + DURATION + ", got " + describe(value) + " (" + invalid.getMessage() + ")");
            return null;
        }
    }

    ObjectFields requiredObject(String name) {
        JsonNode value = required(name, OBJECT);
        return value == null ? null : of(value, path.member(name), problems);
    }

    ObjectFields optionalObject(String name) {
        JsonNode value = get(name);
        return value == null ? null : of(value, path.member(name), problems);
    }

    ArrayNode requiredArray(String name) {
        JsonNode value = required(name, ARRAY);
        return value == null ? null : array(value, name);
    }

    ArrayNode optionalArray(String name) {
        JsonNode value = get(name);
        return value == null ? null : array(value, name);
    }

    /** An object whose members all have string values, such as tags. */
    Map<String, String> requiredStringMap(String name) {
        JsonNode value = required(name, "an object of strings");
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            problems.add(path.member(name), "expected an object of strings, got " + describe(value));
            return null;
        }
        Map<String, String> map = new HashMap<>(value.size() * 2);
        for (Map.Entry<String, JsonNode> member : value.properties()) {
            JsonPath at = path.member(name).member(member.getKey());
            if (member.getValue().isTextual()) {
                String key = wellFormed(member.getKey(), at, problems);
                String text = wellFormed(member.getValue().textValue(), at, problems);
                if (key != null && text != null) {
                    map.put(key, text);
                }
            } else {
                problems.add(at, "expected " + STRING + ", got " + describe(member.getValue()));
            }
        }
        return map;
    }

    /** Reports every member that {@code known} does not list. */
    void rejectUnknown(Members known) {
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            if (!known.contains(member.getKey())) {
                problems.add(path.member(member.getKey()), known == Members.NONE
                        ? "unknown field; this object has no fields"
                        : "unknown field; expected one of " + known);
            }
        }
    }

    /** The members that {@code known} does not list, or null when there are none. */
    ObjectNode unknown(Members known) {
        ObjectNode unknown = null;
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            if (!known.contains(member.getKey())) {
                if (unknown == null) {
                    unknown = node.objectNode();
                }
                unknown.set(member.getKey(), member.getValue());
            }
        }
        return unknown;
    }

    static String text(JsonNode value, JsonPath at, Problems problems) {
        if (value.isTextual() && !value.textValue().isEmpty()) {
            return wellFormed(value.textValue(), at, problems);
        }
        problems.add(at, "expected " + NON_EMPTY_STRING + ", got " + describe(value));
        return null;
    }

    static Integer integer(JsonNode value, JsonPath at, int min, int max, Problems problems) {
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            int number = value.intValue();
            if (number >= min && number <= max) {
                return number;
            }
        }
        problems.add(at, "expected " + integerRange(min, max) + ", got " + describe(value));
        return null;
    }

    /**
     * {@code text}, or null after reporting a lone surrogate: JSON's {@code \\uD800} escapes can
     * spell one, UTF-8 (Kafka's and Avro's encoding) cannot, and it would silently become {@code ?}
     * in the log, so that a name in the log differs from the name the client sent.
     */
    static String wellFormed(String text, JsonPath at, Problems problems) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                problems.add(at, String.format("expected well-formed Unicode, got a lone surrogate \\u%04X at character %d", (int) c, i));
                return null;
            }
        }
        return text;
    }

    /** A JSON value as a message shows what was found: scalars as JSON, shortened; containers by kind. */
    static String describe(JsonNode value) {
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        String json = value.toString();
        if (json.length() <= 80) {
            return json;
        }
        int cut = Character.isHighSurrogate(json.charAt(75)) ? 75 : 76;
        return json.substring(0, cut) + "...";
    }

    private static String integerRange(int min, int max) {
        return max == Integer.MAX_VALUE ? "an integer of at least " + min : "an integer from " + min + " to " + max;
    }

    private JsonNode required(String name, String expected) {
        JsonNode value = node.get(name);
        if (value == null) {
            problems.add(path.member(name), "missing; expected " + expected);
        } else if (value.isNull()) {
            problems.add(path.member(name), "expected " + expected + ", got null");
            return null;
        }
        return value;
    }

    private Boolean bool(JsonNode value, String name) {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        problems.add(path.member(name), "expected " + BOOLEAN + ", got " + describe(value));
        return null;
    }

    private ArrayNode array(JsonNode value, String name) {
        if (value.isArray()) {
            return (ArrayNode) value;
        }
        problems.add(path.member(name), "expected " + ARRAY + ", got " + describe(value));
        return null;
    }
}
