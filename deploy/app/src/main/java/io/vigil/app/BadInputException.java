package io.vigil.app;

/** The user gave something vigil cannot use; the message says what. Exits with status 2. */
public final class BadInputException extends RuntimeException {

    public BadInputException(String message) {
        super(message);
    }
}
