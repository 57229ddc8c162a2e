package io.vigil.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may write events for which meshes (SPEC section 6): one token per line, then the meshes it
 * may write, comma-separated, or {@code *} for all ({@code s3cr3t default,payments}); {@code #}
 * starts a comment. Immutable and thread-safe. Never prints a token.
 */
public final class Tokens {

    /** The answer to a write request. */
    public enum Verdict {
        /** No bearer token, or one nobody issued: 401. */
        UNAUTHENTICATED,
        /** A known token that does not cover every mesh of the request: 403. */
        FORBIDDEN,
        ALLOWED
    }

    private record Grant(byte[] token, Set<String> meshes, boolean everyMesh) {
    }

    private final List<Grant> grants;

    private Tokens(List<Grant> grants) {
        this.grants = grants;
    }

    /** @throws IllegalArgumentException naming the line (never its token) when a line is malformed */
    public static Tokens parse(List<String> lines) {
        List<Grant> grants = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int comment = line.indexOf('#');
            String content = (comment >= 0 ? line.substring(0, comment) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            String[] parts = content.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException("tokens line " + (i + 1) + ": expected a token, then its meshes (or *), separated by spaces");
            }
            Set<String> meshes = new LinkedHashSet<>();
            for (String mesh : parts[1].split(",")) {
                if (mesh.isBlank()) {
                    throw new IllegalArgumentException("tokens line " + (i + 1) + ": an empty mesh name in the mesh list");
                }
                meshes.add(mesh.strip());
            }
            grants.add(new Grant(parts[0].getBytes(StandardCharsets.UTF_8), Set.copyOf(meshes), meshes.contains("*")));
        }
        if (grants.isEmpty()) {
            throw new IllegalArgumentException("no token in the tokens file");
        }
        return new Tokens(List.copyOf(grants));
    }

    /** One token that may write every mesh. */
    public static Tokens admin(String token) {
        return new Tokens(List.of(new Grant(token.getBytes(StandardCharsets.UTF_8), Set.of("*"), true)));
    }

    /**
     * @param authorization the {@code Authorization} header, or null
     * @param meshes        every mesh the request writes
     */
    public Verdict check(String authorization, Collection<String> meshes) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Verdict.UNAUTHENTICATED;
        }
        byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        Grant match = null;
        for (Grant grant : grants) {
            // Compares every token in constant time, so timing reveals nothing about them.
            if (MessageDigest.isEqual(grant.token(), presented) && match == null) {
                match = grant;
            }
        }
        if (match == null) {
            return Verdict.UNAUTHENTICATED;
        }
        return match.everyMesh() || match.meshes().containsAll(meshes) ? Verdict.ALLOWED : Verdict.FORBIDDEN;
    }
}
