package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-read common shape must agree with ISO_OFFSET_DATE_TIME on every input, valid or not. */
class OffsetInstantTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "2026-11-26T10:00:00Z", "2026-11-26T10:00:00.5Z", "2026-11-26T10:00:00.123456Z", "2026-11-26T10:00:00.123456789Z",
        "2026-11-26T10:00:00+02:00", "2026-11-26T10:00:00.250-05:30", "2026-11-26T10:00:00+18:00", "2026-11-26T10:00:00-18:00",
        "2026-11-26T10:00:00-00:00", "2026-11-26T10:00:00+00:00", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z",
        "2024-02-29T12:00:00Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z",
        "2026-11-26t10:00:00z", "2026-11-26T10:00Z", "2026-11-26T10:00:00+02", "2026-11-26T10:00:00+0200",
        "2026-11-26T10:00:00+02:00:30", "+12026-11-26T10:00:00Z",
        "2026-11-26T10:00:00", "2026-11-26T10:00:00.Z", "2026-11-26T10:00:00.1234567890Z", "2026-11-26T24:00:00Z",
        "2026-11-26T10:60:00Z", "2026-11-26T10:00:60Z", "2026-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-00-10T10:00:00Z",
        "2026-11-26T10:00:00+19:00", "2026-11-26T10:00:00+02:60", "2026-11-26 10:00:00Z", "2026-11-2aT10:00:00Z",
        "2026-11-26T10:00:00ZZ", "2026-11-26T10:00:00+02:00 ", "", "yesterday",
    })
    void agreesWithTheFormatter(String text) {
        Object expected = outcome(() -> OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());

        assertThat(outcome(() -> OffsetInstant.parse(text))).isEqualTo(expected);
    }

    @Test
    void convertsTheOffsetToUtc() {
        assertThat(OffsetInstant.parse("2026-11-26T12:00:00.25+02:00")).isEqualTo(Instant.parse("2026-11-26T10:00:00.250Z"));
    }

    /** The instant, or "rejected" for the one exception a parser may throw; any other exception fails the test. */
    private static Object outcome(Supplier<Instant> parse) {
        try {
            return parse.get();
        } catch (DateTimeException rejected) {
            return "rejected";
        }
    }
}
