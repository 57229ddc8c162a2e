package io.vigil.examples;

import io.vigil.avro.InboundChange;
import io.vigil.avro.InboundState;
import io.vigil.schemas.Topics;
import java.io.PrintStream;

/**
 * Reads {@code vigil.inbound-health} (key {@code mesh/dataplane/port}, value {@link InboundChange})
 * and prints one line per change: whether the inbound is in its service's load-balancing set, and
 * why not.
 *
 * <pre>./mvnw -q -pl deploy/examples exec:java -Dexec.mainClass=io.vigil.examples.WatchInbounds -Dexec.args="--bootstrap-server 127.0.0.1:9092"</pre>
 */
public final class WatchInbounds extends ChangeLines<InboundChange> {

    public WatchInbounds(PrintStream out) {
        super(out);
    }

    public static void main(String[] args) {
        ChangeConsumer.runUntilInterrupted(args, Topics.INBOUND_HEALTH, new WatchInbounds(System.out));
    }

    @Override
    long version(InboundChange change) {
        return change.getVersion();
    }

    @Override
    String describe(InboundChange change) {
        InboundState state = change.getState();
        if (state == null) {
            return "removed";
        }
        return "service=" + state.getService() + " ready=" + state.getReady() + (state.getReason() == null ? "" : " reason=" + state.getReason());
    }
}
