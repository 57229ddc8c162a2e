package io.vigil.aggregator.core;

import java.util.Objects;

/** A {@code kuma.io/service} value inside a mesh; {@code mesh/name} is its Kafka key. */
public record ServiceKey(String mesh, String name) implements Comparable<ServiceKey> {

    public ServiceKey {
        Objects.requireNonNull(mesh, "mesh");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public int compareTo(ServiceKey other) {
        int byMesh = mesh.compareTo(other.mesh);
        return byMesh != 0 ? byMesh : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return mesh + "/" + name;
    }
}
