package io.vigil.examples;

import io.vigil.avro.ProxyChange;
import io.vigil.avro.ProxyState;
import io.vigil.schemas.Topics;
import java.io.PrintStream;

/**
 * Reads {@code vigil.proxy-health} (key {@code mesh/dataplane}, value {@link ProxyChange}) and
 * prints one line per change: the proxy status, whether its xDS stream is connected, and why it is
 * not online.
 *
 * <pre>./mvnw -q -pl deploy/examples exec:java -Dexec.mainClass=io.vigil.examples.WatchProxies -Dexec.args="--bootstrap-server 127.0.0.1:9092"</pre>
 */
public final class WatchProxies extends ChangeLines<ProxyChange> {

    public WatchProxies(PrintStream out) {
        super(out);
    }

    public static void main(String[] args) {
        ChangeConsumer.runUntilInterrupted(args, Topics.PROXY_HEALTH, new WatchProxies(System.out));
    }

    @Override
    long version(ProxyChange change) {
        return change.getVersion();
    }

    @Override
    String describe(ProxyChange change) {
        ProxyState state = change.getState();
        if (state == null) {
            return "removed";
        }
        String reasons = state.getReasons().isEmpty() ? "" : " reasons=" + String.join("; ", state.getReasons());
        return state.getStatus() + " connected=" + state.getConnected() + " inbounds=" + state.getInbounds().size() + reasons;
    }
}
