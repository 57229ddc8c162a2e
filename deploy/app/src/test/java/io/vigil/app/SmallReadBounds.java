package io.vigil.app;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The read API's bounds made small enough for a test to reach: two history reads at once, ten
 * records scanned per history request, two live stream catch-ups at once, each replaying at most
 * forty positions (a few transactions of a few dataplanes). One profile for every
 * test of the bounds, so that Quarkus starts once for all of them.
 */
public class SmallReadBounds implements QuarkusTestProfile {

    static final int HISTORY_READS = 2;
    static final int SCANNED_RECORDS = 10;
    static final int CATCH_UPS = 2;
    static final int CATCH_UP_CHANGES = 40;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("vigil.projections.history.max-concurrent-reads", String.valueOf(HISTORY_READS),
                "vigil.projections.history.max-scanned-records", String.valueOf(SCANNED_RECORDS),
                "vigil.projections.stream.max-concurrent-catch-ups", String.valueOf(CATCH_UPS),
                "vigil.projections.stream.max-catch-up-changes", String.valueOf(CATCH_UP_CHANGES));
    }
}
