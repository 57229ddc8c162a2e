package io.vigil.app;

import io.vigil.aggregator.core.Event;
import io.vigil.aggregator.core.Source;
import io.vigil.aggregator.records.EventRecords;
import io.vigil.aggregator.records.InvalidEventException;
import io.vigil.schemas.EventLine;
import io.vigil.schemas.EventLines;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Stream;

/**
 * The lines of an event file, parsed into the rules' events on a thread of their own, so that
 * parsing and folding run side by side: on a replay they cost about the same. Lines arrive in
 * order, in batches, each an event or the reason it is not one.
 *
 * <p>{@link #next} is for one consumer thread; the parser thread is a daemon and stops at the end
 * of the input, on a read error (rethrown by {@link #next}), or when {@link #close} interrupts it.
 */
final class ParsedLines implements AutoCloseable {

    /** An event, or the {@code line N: ...} reason there is none. */
    record Line(Event event, String rejection) {
    }

    private static final int BATCH = 1024;
    private static final List<Line> END = List.of();

    private final BlockingQueue<List<Line>> batches = new ArrayBlockingQueue<>(16);
    private final Thread parser;
    private volatile RuntimeException failure;

    private ParsedLines(Reader reader, String name, EventRecords records) {
        parser = new Thread(() -> parse(reader, name, records), "vigil-replay-parser");
        parser.setDaemon(true);
    }

    static ParsedLines start(Reader reader, String name, EventRecords records) {
        ParsedLines lines = new ParsedLines(reader, name, records);
        lines.parser.start();
        return lines;
    }

    /** The next batch in file order; empty at the end. */
    List<Line> next() {
        try {
            List<Line> batch = batches.take();
            if (batch == END && failure != null) {
                throw failure;
            }
            return batch;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading events", e);
        }
    }

    private void parse(Reader reader, String name, EventRecords records) {
        try (Stream<EventLine> lines = EventLines.read(reader)) {
            Iterator<EventLine> it = lines.iterator();
            List<Line> batch = new ArrayList<>(BATCH);
            while (it.hasNext()) {
                batch.add(line(it.next(), name, records));
                if (batch.size() == BATCH) {
                    batches.put(batch);
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!batch.isEmpty()) {
                batches.put(batch);
            }
        } catch (InterruptedException e) {
            return;
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            batches.put(END);
        } catch (InterruptedException ignored) {
            // closed by the consumer: nobody waits for the end
        }
    }

    private static Line line(EventLine line, String name, EventRecords records) {
        if (line instanceof EventLine.Rejected rejected) {
            return new Line(null, rejected.message());
        }
        try {
            return new Line(records.toEvent(((EventLine.Parsed) line).event(), new Source(name, null, line.number())), null);
        } catch (InvalidEventException e) {
            return new Line(null, "line " + line.number() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        parser.interrupt();
    }
}
