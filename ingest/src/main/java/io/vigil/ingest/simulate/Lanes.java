package io.vigil.ingest.simulate;

import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.KeyFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Several batches in flight without reordering a dataplane: each dataplane belongs to one lane
 * (by its key's hash), and each lane is a thread that sends its events in arrival order, one
 * batch at a time, taking whatever has queued up to {@code batch} events. A full lane blocks the
 * producer, so a slow target slows the simulation instead of piling events up in memory.
 *
 * <p>{@link #offer} is for one producer thread; counters may be read from any thread.
 */
final class Lanes {

    private static final DataplaneEvent END = new DataplaneEvent();

    private final List<BlockingQueue<DataplaneEvent>> queues = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final SimulationSink sink;
    private final int batch;
    private final Consumer<String> problems;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> fatal = new AtomicReference<>();

    /** @param problems told every refused batch's reason, from a lane thread */
    Lanes(SimulationSink sink, int lanes, int batch, Consumer<String> problems) {
        this.sink = sink;
        this.batch = batch;
        this.problems = problems;
        for (int i = 0; i < lanes; i++) {
            BlockingQueue<DataplaneEvent> queue = new ArrayBlockingQueue<>(batch * 4);
            Thread thread = new Thread(() -> drain(queue), "vigil-simulate-lane-" + i);
            thread.setDaemon(true);
            queues.add(queue);
            threads.add(thread);
            thread.start();
        }
    }

    /** Queues {@code event} on its dataplane's lane, waiting while that lane is full. */
    void offer(DataplaneEvent event) throws InterruptedException {
        String key = KeyFormat.of(event.getMesh(), event.getDataplane());
        queues.get(Math.floorMod(key.hashCode(), queues.size())).put(event);
    }

    /** Waits until every queued event is sent or failed. */
    void finish() throws InterruptedException {
        for (BlockingQueue<DataplaneEvent> queue : queues) {
            queue.put(END);
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    /** Why the target refuses every batch (a rejected token), or null. */
    String fatal() {
        return fatal.get();
    }

    private void drain(BlockingQueue<DataplaneEvent> queue) {
        List<DataplaneEvent> events = new ArrayList<>(batch);
        try {
            boolean open = true;
            while (open) {
                events.add(queue.take());
                queue.drainTo(events, batch - 1);
                open = events.get(events.size() - 1) != END;
                if (!open) {
                    events.remove(events.size() - 1);
                }
                if (!events.isEmpty()) {
                    send(events);
                }
                events.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(List<DataplaneEvent> events) throws InterruptedException {
        if (fatal.get() != null) {
            failed.addAndGet(events.size());
            return;
        }
        try {
            sink.send(events);
            sent.addAndGet(events.size());
        } catch (SimulationSink.SendFailure failure) {
            failed.addAndGet(events.size());
            if (failure.fatal()) {
                fatal.compareAndSet(null, failure.getMessage());
            }
            problems.accept(failure.getMessage());
        } catch (RuntimeException unexpected) {
            // A lane that died would block the producer for good: count the batch and go on.
            failed.addAndGet(events.size());
            problems.accept(unexpected.toString());
        }
    }
}
