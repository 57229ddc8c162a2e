package io.vigil.aggregator.core;

import java.util.Objects;

/** A dataplane proxy inside a mesh; {@code mesh/name} is its Kafka key. */
public record DataplaneKey(String mesh, String name) implements Comparable<DataplaneKey> {

    public DataplaneKey {
        Objects.requireNonNull(mesh, "mesh");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public int compareTo(DataplaneKey other) {
        int byMesh = mesh.compareTo(other.mesh);
        return byMesh != 0 ? byMesh : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return mesh + "/" + name;
    }
}
