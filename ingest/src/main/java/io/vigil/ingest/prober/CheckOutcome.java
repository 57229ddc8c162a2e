package io.vigil.ingest.prober;

/** What one check found: the {@code healthy} and {@code detail} of a {@code probe-result} event. */
public record CheckOutcome(boolean healthy, String detail) {

    static CheckOutcome healthy(String detail) {
        return new CheckOutcome(true, detail);
    }

    static CheckOutcome unhealthy(String detail) {
        return new CheckOutcome(false, detail);
    }
}
