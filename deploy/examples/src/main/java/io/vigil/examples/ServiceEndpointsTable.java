package io.vigil.examples;

import io.vigil.avro.Endpoint;
import io.vigil.avro.ServiceEndpoints;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Topics;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Keeps every service's load-balancing set from {@code vigil.service-endpoints} (key
 * {@code mesh/service/dataplane}, value {@link ServiceEndpoints}: one member dataplane's ready
 * inbounds of the service; a Kafka tombstone when it has none left) and prints the service's whole
 * set each time a part changes it. A service's parts are on one partition, in the order they were
 * written, with the {@code vigil.service-health} change they belong to (in the same transaction,
 * {@code serviceVersion} names it); one change's parts can span two polls, so a set printed
 * between them is half-way to that change. The topic is compacted: read from the beginning, it
 * gives the present sets whatever their age.
 *
 * <pre>./mvnw -q -pl deploy/examples exec:java -Dexec.mainClass=io.vigil.examples.ServiceEndpointsTable -Dexec.args="--bootstrap-server 127.0.0.1:9092"</pre>
 */
public final class ServiceEndpointsTable implements BiConsumer<String, ServiceEndpoints> {

    private final PrintStream out;
    /** Per service key {@code mesh/service}: per member dataplane, its endpoints. */
    private final Map<String, SortedMap<String, List<Endpoint>>> services = new TreeMap<>();

    public ServiceEndpointsTable(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        ChangeConsumer.runUntilInterrupted(args, Topics.SERVICE_ENDPOINTS, new ServiceEndpointsTable(System.out));
    }

    @Override
    public void accept(String key, ServiceEndpoints part) {
        String[] meshServiceDataplane = KeyFormat.splitServiceEndpoints(key);
        String service = meshServiceDataplane[0] + "/" + meshServiceDataplane[1];
        SortedMap<String, List<Endpoint>> members = services.computeIfAbsent(service, s -> new TreeMap<>());
        if (part == null) {
            members.remove(meshServiceDataplane[2]);
        } else {
            members.put(part.getDataplane(), List.copyOf(part.getEndpoints()));
        }
        String endpoints = members.values().stream().flatMap(List::stream)
                .map(e -> e.getDataplane() + "@" + e.getAddress() + ":" + e.getPort()).collect(Collectors.joining(" "));
        out.println(service + " endpoints=[" + endpoints + "]");
        if (members.isEmpty()) {
            services.remove(service);
        }
    }
}
