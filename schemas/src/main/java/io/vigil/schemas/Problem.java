package io.vigil.schemas;

/**
 * One thing wrong with an event's JSON.
 *
 * @param path    where, e.g. {@code spec.networking.inbound[0].port}; empty for the whole value
 * @param message what was expected and what was found
 * @param line    the event's line in JSON lines, from 1; 0 when it is not known or not in lines
 */
public record Problem(String path, String message, long line) {

    public Problem(String path, String message) {
        this(path, message, 0);
    }

    /** This problem as seen from a container, e.g. the element {@code [3]} of a request body. */
    public Problem under(String container) {
        return new Problem(path.isEmpty() ? container : container + "." + path, message, line);
    }

    /** This problem of the event on {@code line} of JSON lines; its path stays relative to that event. */
    public Problem onLine(long line) {
        return new Problem(path, message, line);
    }

    @Override
    public String toString() {
        String where = path.isEmpty() ? message : path + ": " + message;
        return line > 0 ? "line " + line + ": " + where : where;
    }
}
