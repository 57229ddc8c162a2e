package io.vigil.examples;

import java.io.PrintStream;
import java.util.function.BiConsumer;

/**
 * Prints one line per change of a change topic, {@code key vVERSION what-it-says}: skips the Kafka
 * tombstone that follows a removal (it is there for compaction; the removal itself is a change
 * whose state is null) and a change seen already, and marks a gap in the versions.
 *
 * <p>Not thread-safe: the consumer's thread calls it.
 *
 * @param <V> the topic's change type
 */
abstract class ChangeLines<V> implements BiConsumer<String, V> {

    private final PrintStream out;
    private final Versions versions = new Versions();

    ChangeLines(PrintStream out) {
        this.out = out;
    }

    /** The change's per-entity version. */
    abstract long version(V change);

    /** What the change says, for people; {@code removed...} when the entity is gone. */
    abstract String describe(V change);

    @Override
    public final void accept(String key, V change) {
        if (change == null) {
            return;
        }
        Versions.Seen seen = versions.see(key, version(change));
        if (seen == Versions.Seen.AGAIN) {
            return;
        }
        out.println(key + " v" + version(change) + " " + describe(change)
                + (seen == Versions.Seen.GAP ? " (versions missed before this one)" : ""));
    }
}
