package io.vigil.projections;

import java.util.Set;

/**
 * The meshes a read request may see: every mesh, or a set. Every read path answers within it: lists
 * and the state leave other meshes out, a path or filter naming another mesh is refused the same
 * way whether that mesh exists or not, and a live stream passes only its meshes' changes.
 * Immutable.
 */
public record ReadScope(boolean everyMesh, Set<String> meshes) {

    /** Reads of every mesh: open reads, or a token for {@code *}. */
    public static final ReadScope EVERY_MESH = new ReadScope(true, Set.of());

    /** Reads of nothing: a request no authentication has looked at. */
    public static final ReadScope NOTHING = new ReadScope(false, Set.of());

    public ReadScope {
        meshes = Set.copyOf(meshes);
    }

    public static ReadScope of(Set<String> meshes) {
        return new ReadScope(false, meshes);
    }

    public boolean allows(String mesh) {
        return everyMesh || meshes.contains(mesh);
    }
}
