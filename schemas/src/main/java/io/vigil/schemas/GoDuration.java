package io.vigil.schemas;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Durations written as Go writes them ({@code time.ParseDuration} / {@code Duration.String}),
 * the form Kuma's resources use for {@code serviceProbe.interval} and {@code timeout}. vigil keeps
 * them as whole milliseconds. Stateless and thread-safe.
 */
public final class GoDuration {

    private static final BigInteger NANOS_PER_MILLI = BigInteger.valueOf(1_000_000);
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private GoDuration() {
    }

    /**
     * Parses Go syntax: an optional sign, then one or more decimal numbers each with a unit
     * ({@code ns us µs ms s m h}), e.g. {@code "1s"}, {@code "1.5s"}, {@code "1m30s"}.
     *
     * @return the duration in milliseconds
     * @throws IllegalArgumentException saying why, when the text is not Go syntax, not positive,
     *     finer than a millisecond, or beyond Go's range (about 292 years)
     */
    public static long parseMillis(String text) {
        int i = 0;
        boolean negative = false;
        if (i < text.length() && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        if (text.substring(i).equals("0")) {
            throw new IllegalArgumentException("not positive");
        }
        if (i == text.length()) {
            throw new IllegalArgumentException("not a duration");
        }
        // Exact arithmetic: Go accepts any number of fraction digits, and "whole milliseconds" must be decided exactly.
        BigDecimal nanos = BigDecimal.ZERO;
        while (i < text.length()) {
            int numberStart = i;
            int digits = 0;
            boolean dot = false;
            while (i < text.length() && (isDigit(text.charAt(i)) || (text.charAt(i) == '.' && !dot))) {
                if (text.charAt(i) == '.') {
                    dot = true;
                } else {
                    digits++;
                }
                i++;
            }
            if (digits == 0) {
                throw new IllegalArgumentException("not a duration");
            }
            String number = text.substring(numberStart, i);
            int unitStart = i;
            while (i < text.length() && text.charAt(i) != '.' && !isDigit(text.charAt(i))) {
                i++;
            }
            long unit = unitNanos(text.substring(unitStart, i));
            nanos = nanos.add(new BigDecimal(number.endsWith(".") ? number + "0" : number).multiply(BigDecimal.valueOf(unit)));
            if (nanos.compareTo(MAX_NANOS) > 0) {
                throw new IllegalArgumentException("too large");
            }
        }
        if (negative || nanos.signum() == 0) {
            throw new IllegalArgumentException("not positive");
        }
        BigInteger[] millisAndRest;
        try {
            millisAndRest = nanos.toBigIntegerExact().divideAndRemainder(NANOS_PER_MILLI);
        } catch (ArithmeticException fractionOfNanosecond) {
            throw new IllegalArgumentException("finer than a millisecond");
        }
        if (millisAndRest[1].signum() != 0) {
            throw new IllegalArgumentException("finer than a millisecond");
        }
        return millisAndRest[0].longValueExact();
    }

    /**
     * Formats as Go's {@code Duration.String} does: {@code "500ms"}, {@code "1.5s"}, {@code "1m30s"},
     * {@code "1h0m0s"}.
     *
     * @throws IllegalArgumentException if {@code millis} is not positive
     */
    public static String format(long millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException("not a positive duration: " + millis + " ms");
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        StringBuilder out = new StringBuilder();
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        out.append(millis / 1000 % 60);
        int fraction = (int) (millis % 1000);
        if (fraction > 0) {
            String digits = Integer.toString(1000 + fraction).substring(1);
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(digits, 0, end);
        }
        return out.append('s').toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static long unitNanos(String unit) {
        switch (unit) {
            case "ns":
                return 1L;
            case "us":
            case "\u00b5s": // micro sign, as Go accepts it
            case "\u03bcs": // Greek small letter mu, as Go accepts it
                return 1_000L;
            case "ms":
                return 1_000_000L;
            case "s":
                return 1_000_000_000L;
            case "m":
                return 60_000_000_000L;
            case "h":
                return 3_600_000_000_000L;
            case "":
                throw new IllegalArgumentException("missing unit (ns, us, ms, s, m, h)");
            default:
                throw new IllegalArgumentException("unknown unit \"" + unit + "\" (expected ns, us, ms, s, m, h)");
        }
    }
}
