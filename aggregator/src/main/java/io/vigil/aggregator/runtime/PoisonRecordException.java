package io.vigil.aggregator.runtime;

/** An input record that no amount of retrying makes usable: it goes to the dead-letter topic. */
public final class PoisonRecordException extends RuntimeException {

    public PoisonRecordException(String reason, Throwable cause) {
        super(reason, cause);
    }

    public PoisonRecordException(String reason) {
        super(reason);
    }
}
