package io.vigil.kafka;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The controllers of a KRaft quorum on 127.0.0.1, as Kafka's {@code controller.quorum.voters}
 * spells them: {@code 1@127.0.0.1:9192,2@127.0.0.1:9193,3@127.0.0.1:9194}. Every node of a
 * multi-node cluster is both broker and controller, so the voters are also the cluster's nodes.
 * Immutable; safe to share.
 *
 * @param controllerPorts each node id's controller port, in the order given
 */
public record QuorumVoters(Map<Integer, Integer> controllerPorts) {

    private static final String HOST = "127.0.0.1";

    public QuorumVoters {
        if (controllerPorts.isEmpty()) {
            throw new IllegalArgumentException("a quorum needs at least one voter");
        }
        controllerPorts = Collections.unmodifiableMap(new LinkedHashMap<>(controllerPorts));
    }

    /**
     * Parses {@code ID@127.0.0.1:PORT[,...]}.
     *
     * @throws IllegalArgumentException naming the first entry that is not a positive node id at a
     *         loopback port, or a node id given twice
     */
    public static QuorumVoters parse(String voters) {
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        for (String entry : voters.split(",", -1)) {
            int at = entry.indexOf('@');
            int colon = entry.lastIndexOf(':');
            if (at <= 0 || colon < at || !entry.substring(at + 1, colon).equals(HOST)) {
                throw new IllegalArgumentException("voter '" + entry + "' is not ID@" + HOST + ":PORT");
            }
            int id = number(entry.substring(0, at), entry, 0, Integer.MAX_VALUE);
            int port = number(entry.substring(colon + 1), entry, 1, 65535);
            if (ports.put(id, port) != null) {
                throw new IllegalArgumentException("node id " + id + " is listed twice in the voters");
            }
        }
        return new QuorumVoters(ports);
    }

    /** How many nodes the quorum has. */
    public int size() {
        return controllerPorts.size();
    }

    /**
     * The controller port of {@code nodeId}.
     *
     * @throws IllegalArgumentException if the node is not a voter
     */
    public int controllerPort(int nodeId) {
        Integer port = controllerPorts.get(nodeId);
        if (port == null) {
            throw new IllegalArgumentException("node id " + nodeId + " is not one of the voters " + this);
        }
        return port;
    }

    /** The value of {@code controller.quorum.voters}. */
    @Override
    public String toString() {
        return controllerPorts.entrySet().stream()
                .map(voter -> voter.getKey() + "@" + HOST + ":" + voter.getValue())
                .collect(Collectors.joining(","));
    }

    private static int number(String text, String entry, int min, int max) {
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below with the whole entry.
        }
        throw new IllegalArgumentException("voter '" + entry + "' has '" + text + "' where a number from " + min + " to " + max + " belongs");
    }
}
