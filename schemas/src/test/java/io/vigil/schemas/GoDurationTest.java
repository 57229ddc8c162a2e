package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
        "1s, 1000",
        "500ms, 500",
        "1.5s, 1500",
        "1m30s, 90000",
        "1h, 3600000",
        "2h45m, 9900000",
        "+1s, 1000",
        ".5s, 500",
        "1.s, 1000",
        "1000000ns, 1",
        "1000us, 1",
        "1000µs, 1",
        "1000μs, 1",
        "0.001s, 1",
        "1.0000000000000000000000s, 1000",
        "1s500ms, 1500",
        "1h1m1s1ms, 3661001",
        "0.5m, 30000",
        "2562047h, 9223369200000",
    })
    void parsesGoSyntax(String text, long millis) {
        assertThat(GoDuration.parseMillis(text)).isEqualTo(millis);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''           | not a duration",
        "s            | not a duration",
        ".s           | not a duration",
        "-            | not a duration",
        "1            | missing unit",
        "1.2.3s       | missing unit",
        "1d           | unknown unit \"d\"",
        "1S           | unknown unit \"S\"",
        "1 s          | unknown unit \" s\"",
        "0            | not positive",
        "0s           | not positive",
        "-1s          | not positive",
        "1.5ms        | finer than a millisecond",
        "1ns          | finer than a millisecond",
        "1ms1ns       | finer than a millisecond",
        "2562048h     | too large",
    })
    void rejectsWithAReason(String text, String reason) {
        assertThatThrownBy(() -> GoDuration.parseMillis(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @ParameterizedTest
    @CsvSource({
        "1, 1ms",
        "500, 500ms",
        "999, 999ms",
        "1000, 1s",
        "1500, 1.5s",
        "1050, 1.05s",
        "1001, 1.001s",
        "60000, 1m0s",
        "90000, 1m30s",
        "61500, 1m1.5s",
        "3600000, 1h0m0s",
        "3661001, 1h1m1.001s",
        "9223372036854, 2562047h47m16.854s",
    })
    void formatsAsGoDoes(long millis, String text) {
        assertThat(GoDuration.format(millis)).isEqualTo(text);
        assertThat(GoDuration.parseMillis(text)).isEqualTo(millis);
    }

    @ParameterizedTest
    @CsvSource({"0", "-1"})
    void formatsOnlyPositiveDurations(long millis) {
        assertThatThrownBy(() -> GoDuration.format(millis)).isInstanceOf(IllegalArgumentException.class);
    }
}
