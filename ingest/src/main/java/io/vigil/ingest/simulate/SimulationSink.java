package io.vigil.ingest.simulate;

import io.vigil.avro.DataplaneEvent;
import java.util.List;

/**
 * Where a simulation delivers its events: the REST API or the event log topic. {@link #send} may
 * be called from several threads at once, each with its own dataplanes, and returns once the
 * whole batch is accepted, in order.
 */
public interface SimulationSink extends AutoCloseable {

    /**
     * Delivers {@code batch}, retrying what is worth retrying.
     *
     * @throws SendFailure when the batch was not accepted
     */
    void send(List<DataplaneEvent> batch) throws InterruptedException;

    @Override
    void close();

    /** A batch that was not accepted; {@code fatal} when no later batch can fare better (a refused token). */
    final class SendFailure extends RuntimeException {

        private final boolean fatal;

        public SendFailure(String message, boolean fatal) {
            super(message);
            this.fatal = fatal;
        }

        public boolean fatal() {
            return fatal;
        }
    }
}
