package io.vigil.projections;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fixed number of slots for work that holds a Kafka consumer of its own (a history read, a live
 * stream's catch-up). Taking one never waits: a request that finds every slot taken is refused at
 * once with a {@code Retry-After}, rather than queued behind reads of unknown length.
 *
 * <p>Thread-safe: any thread may take a slot, and any thread may give it back.
 */
public final class Slots {

    /** A taken slot; closing it gives it back, once however often it is closed. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    private final Semaphore free;

    public Slots(int count) {
        this.free = new Semaphore(count);
    }

    /** @return a slot, or null when every one is taken */
    public Slot tryTake() {
        if (!free.tryAcquire()) {
            return null;
        }
        AtomicBoolean given = new AtomicBoolean();
        return () -> {
            if (given.compareAndSet(false, true)) {
                free.release();
            }
        };
    }
}
