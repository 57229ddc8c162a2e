package io.vigil.examples;

import io.vigil.avro.ServiceChange;
import io.vigil.avro.ServiceCounts;
import io.vigil.schemas.Topics;
import java.io.PrintStream;

/**
 * Reads {@code vigil.service-health} (key {@code mesh/service}, value {@link ServiceChange}) and
 * prints one line per change: the service's status, its members by status and how many endpoints
 * its load-balancing set holds. The endpoints themselves are in {@code vigil.service-endpoints}
 * ({@link ServiceEndpointsTable}).
 *
 * <pre>./mvnw -q -pl deploy/examples exec:java -Dexec.mainClass=io.vigil.examples.WatchServices -Dexec.args="--bootstrap-server 127.0.0.1:9092"</pre>
 */
public final class WatchServices extends ChangeLines<ServiceChange> {

    public WatchServices(PrintStream out) {
        super(out);
    }

    public static void main(String[] args) {
        ChangeConsumer.runUntilInterrupted(args, Topics.SERVICE_HEALTH, new WatchServices(System.out));
    }

    @Override
    long version(ServiceChange change) {
        return change.getVersion();
    }

    @Override
    String describe(ServiceChange change) {
        if (change.getState() == null) {
            return "removed: no members left";
        }
        ServiceCounts members = change.getState().getDataplanes();
        return change.getState().getStatus() + " members=" + members.getTotal() + " online=" + members.getOnline()
                + " offline=" + members.getOffline() + " partiallyDegraded=" + members.getPartiallyDegraded()
                + " endpoints=" + change.getState().getEndpointCount();
    }
}
