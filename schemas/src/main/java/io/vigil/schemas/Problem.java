package io.vigil.schemas;

/**
 * One thing wrong with an event's JSON.
 *
 * @param path where, e.g. {@code spec.networking.inbound[0].port}; empty for the whole value
 * @param message what was expected and what was found
 */
public record Problem(String path, String message) {

    /** This problem as seen from a container, e.g. the element {@code [3]} of a request body. */
    public Problem under(String container) {
        return new Problem(path.isEmpty() ? container : container + "." + path, message);
    }

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
