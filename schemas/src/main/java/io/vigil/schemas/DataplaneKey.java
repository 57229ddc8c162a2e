package io.vigil.schemas;

import java.util.Objects;

/** A dataplane proxy inside a mesh; {@link KeyFormat#DATAPLANE} makes it the Kafka key {@code mesh/name}. */
public record DataplaneKey(String mesh, String name) implements Comparable<DataplaneKey> {

    public DataplaneKey {
        Objects.requireNonNull(mesh, "mesh");
        Objects.requireNonNull(name, "name");
    }

    /** The key as Kafka holds it. @throws IllegalArgumentException when it is not {@code mesh/name} */
    public static DataplaneKey parse(String key) {
        return new DataplaneKey(KeyFormat.mesh(key), KeyFormat.name(key));
    }

    @Override
    public int compareTo(DataplaneKey other) {
        int byMesh = mesh.compareTo(other.mesh);
        return byMesh != 0 ? byMesh : name.compareTo(other.name);
    }

    /** {@code mesh/name}, the Kafka key. */
    @Override
    public String toString() {
        return KeyFormat.of(mesh, name);
    }
}
