package io.vigil.schemas;

import java.util.List;
import java.util.Set;

/** The member names a JSON object may have, in the order messages list them. */
final class Members {

    static final Members NONE = new Members(List.of());

    private final List<String> names;
    private final Set<String> lookup;

    private Members(List<String> names) {
        this.names = names;
        this.lookup = Set.copyOf(names);
    }

    static Members of(String... names) {
        return new Members(List.of(names));
    }

    Members plus(String... more) {
        String[] all = names.toArray(new String[names.size() + more.length]);
        System.arraycopy(more, 0, all, names.size(), more.length);
        return of(all);
    }

    boolean contains(String name) {
        return lookup.contains(name);
    }

    @Override
    public String toString() {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
