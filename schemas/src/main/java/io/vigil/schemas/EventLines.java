package io.vigil.schemas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads a JSON-lines stream of events (one event per line, blank lines skipped), as
 * {@code vigil replay --events FILE} does. A bad line does not end the stream: it yields an
 * {@link EventLine.Rejected} and reading goes on, so a caller can report every bad line at once.
 */
public final class EventLines {

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private EventLines() {
    }

    /**
     * The lines of {@code reader}, read lazily and in order. Closing the stream closes the reader.
     * Not thread-safe: consume the stream from one thread; read errors surface as
     * {@link UncheckedIOException}.
     */
    public static Stream<EventLine> read(Reader reader) {
        BufferedReader lines = reader instanceof BufferedReader buffered ? buffered : new BufferedReader(reader, 1 << 16);
        Spliterator<EventLine> spliterator = Spliterators.spliteratorUnknownSize(new LineIterator(lines),
                Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(spliterator, false).onClose(() -> {
            try {
                lines.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static final class LineIterator implements Iterator<EventLine> {

        private final BufferedReader lines;
        private long number;
        private EventLine next;

        LineIterator(BufferedReader lines) {
            this.lines = lines;
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                next = readNext();
            }
            return next != null;
        }

        @Override
        public EventLine next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            EventLine line = next;
            next = null;
            return line;
        }

        private EventLine readNext() {
            try {
                for (String text = lines.readLine(); text != null; text = lines.readLine()) {
                    number++;
                    if (number == 1 && !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
                        text = text.substring(1);
                    }
                    if (!text.isBlank()) {
                        return parse(text);
                    }
                }
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private EventLine parse(String text) {
            try {
                return new EventLine.Parsed(number, EventJson.parse(text));
            } catch (EventFormatException invalid) {
                return new EventLine.Rejected(number, invalid.problems());
            }
        }
    }
}
