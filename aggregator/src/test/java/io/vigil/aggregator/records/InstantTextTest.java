package io.vigil.aggregator.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantTextTest {

    @Test
    void writesWhatToStringWrites() {
        List<Instant> edges = List.of(Instant.EPOCH, Instant.ofEpochSecond(-1), Instant.ofEpochSecond(-1, 999_999_999),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("-0001-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"), Instant.MIN, Instant.MAX,
                Instant.parse("2024-02-29T12:34:56.100Z"), Instant.parse("2026-11-26T10:00:00.000001Z"),
                Instant.parse("2026-11-26T10:00:00.000000001Z"));
        for (Instant instant : edges) {
            assertSameText(instant);
        }
        SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(Instant.parse("-1000-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("+11000-01-01T00:00:00Z").getEpochSecond());
            // Whole seconds, milli-, micro- and nanosecond fractions alike.
            int nanos = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            assertSameText(Instant.ofEpochSecond(seconds, nanos));
        }
    }

    private static void assertSameText(Instant instant) {
        assertThat(new String(InstantText.ascii(instant), StandardCharsets.US_ASCII)).isEqualTo(instant.toString());
    }
}
