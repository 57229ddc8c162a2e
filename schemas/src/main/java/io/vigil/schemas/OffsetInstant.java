package io.vigil.schemas;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Parses an ISO-8601 date-time with offset into an {@link Instant}, accepting exactly what
 * {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} accepts. Every event carries one, and the
 * formatter costs about a microsecond, as much as the rest of an event's decoding; so the shape
 * producers write ({@code 2026-11-26T10:00:00[.fraction](Z|+hh:mm)}) is read by hand and anything
 * else goes to the formatter. Stateless and thread-safe.
 */
final class OffsetInstant {

    private OffsetInstant() {
    }

    /** @throws DateTimeException if {@code text} is not an ISO-8601 date-time with offset */
    static Instant parse(String text) {
        Instant instant = parseCommonShape(text);
        return instant != null ? instant : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    /** The instant, or null when {@code text} does not have the common shape. */
    private static Instant parseCommonShape(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (text.charAt(i) == '.') {
            int start = ++i;
            while (i < length && i - start < 9 && isDigit(text.charAt(i))) {
                nanos = nanos * 10 + (text.charAt(i) - '0');
                i++;
            }
            if (i == start) {
                return null;
            }
            for (int scale = i - start; scale < 9; scale++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == length - 1 && text.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == length - 6 && (text.charAt(i) == '+' || text.charAt(i) == '-') && text.charAt(i + 3) == ':') {
            int offsetHours = digits(text, i + 1, 2);
            int offsetMinutes = digits(text, i + 4, 2);
            if (offsetHours < 0 || offsetMinutes < 0) {
                return null;
            }
            int sign = text.charAt(i) == '-' ? -1 : 1;
            offsetSeconds = ZoneOffset.ofHoursMinutes(sign * offsetHours, sign * offsetMinutes).getTotalSeconds();
        } else {
            return null;
        }
        if (hour > 23 || minute > 59 || second > 59) {
            throw new DateTimeException("time of day out of range: " + text);
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds, nanos);
    }

    /** The non-negative number of {@code count} ASCII digits at {@code start}, or -1. */
    private static int digits(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
