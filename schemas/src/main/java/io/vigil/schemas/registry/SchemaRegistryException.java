package io.vigil.schemas.registry;

/** A schema registry that could not be reached, or refused or did not know what vigil asked for; the message says which. */
public final class SchemaRegistryException extends RuntimeException {

    SchemaRegistryException(String message) {
        super(message);
    }

    SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
