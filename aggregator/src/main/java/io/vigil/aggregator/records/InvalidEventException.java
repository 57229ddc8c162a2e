package io.vigil.aggregator.records;

/** A record that decodes but breaks a rule of SPEC section 1; it belongs in the dead-letter topic. */
public final class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message);
    }
}
