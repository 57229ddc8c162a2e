package io.vigil.aggregator.core;

import java.util.List;
import net.jqwik.api.Arbitrary;

/** The rule tests' event generators, for tests in other packages. */
public final class EventStreamsAccess {

    private EventStreamsAccess() {
    }

    public static Arbitrary<List<Event>> events(int maxSize) {
        return EventStreams.events(maxSize);
    }
}
