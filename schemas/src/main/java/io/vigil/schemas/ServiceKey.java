package io.vigil.schemas;

import java.util.Objects;

/** A {@code kuma.io/service} value inside a mesh; {@link KeyFormat#SERVICE} makes it the Kafka key {@code mesh/name}. */
public record ServiceKey(String mesh, String name) implements Comparable<ServiceKey> {

    public ServiceKey {
        Objects.requireNonNull(mesh, "mesh");
        Objects.requireNonNull(name, "name");
    }

    /** The key as Kafka holds it. @throws IllegalArgumentException when it is not {@code mesh/name} */
    public static ServiceKey parse(String key) {
        return new ServiceKey(KeyFormat.mesh(key), KeyFormat.name(key));
    }

    @Override
    public int compareTo(ServiceKey other) {
        int byMesh = mesh.compareTo(other.mesh);
        return byMesh != 0 ? byMesh : name.compareTo(other.name);
    }

    /** {@code mesh/name}, the Kafka key. */
    @Override
    public String toString() {
        return KeyFormat.of(mesh, name);
    }
}
