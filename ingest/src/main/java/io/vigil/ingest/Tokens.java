package io.vigil.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may write and read which meshes (SPEC section 6, README "Security"): one token per line,
 * then the meshes it may use, comma-separated, or {@code *} for all ({@code s3cr3t default,payments}),
 * then optionally {@code read} for a token that may only read them ({@code write}, the default,
 * reads and writes); {@code #} starts a comment. Immutable and thread-safe. Never prints a token:
 * errors and warnings name its line.
 */
public final class Tokens {

    /** Tokens shorter than this draw a warning: they can be guessed. */
    static final int SHORT_TOKEN_BYTES = 16;

    /** Unicode whitespace, so that a token made of no-break spaces counts as empty rather than as a token. */
    private static final Pattern FIELD_SEPARATOR = Pattern.compile("(?U)\\s+");

    /** The answer to a write request. */
    public enum Verdict {
        /** No bearer token, or one nobody issued: 401. */
        UNAUTHENTICATED,
        /** A known token that may only read: 403. */
        READ_ONLY,
        /** A known token that does not cover every mesh of the request: 403. */
        FORBIDDEN,
        ALLOWED
    }

    /** What one token may do: read every mesh or the listed ones, and write them too unless it is read-only. */
    public record Grant(boolean everyMesh, Set<String> meshes, boolean mayWrite) {

        public boolean covers(String mesh) {
            return everyMesh || meshes.contains(mesh);
        }
    }

    private record Entry(byte[] token, Grant grant) {
    }

    private final List<Entry> entries;
    private final List<String> warnings;

    private Tokens(List<Entry> entries, List<String> warnings) {
        this.entries = entries;
        this.warnings = warnings;
    }

    /**
     * @throws IllegalArgumentException naming the line (never its token) when a line is malformed,
     *                                  its token is empty, or another line has the same token
     */
    public static Tokens parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        List<Integer> lineOf = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i);
            int comment = line.indexOf('#');
            String content = (comment >= 0 ? line.substring(0, comment) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            String[] fields = FIELD_SEPARATOR.split(content, -1);
            if (fields[0].isEmpty()) {
                throw new IllegalArgumentException("tokens line " + number + ": the token is empty or only whitespace");
            }
            if (fields.length == 1) {
                throw new IllegalArgumentException("tokens line " + number + ": expected a token, then its meshes (or *), "
                        + "separated by spaces; the line has one field (is the token or the mesh list missing?)");
            }
            if (fields.length > 3) {
                throw new IllegalArgumentException("tokens line " + number + ": expected a token, its meshes (or *) and optionally "
                        + "read or write; the line has " + fields.length + " fields (meshes are separated by commas, not spaces)");
            }
            Set<String> meshes = meshes(fields[1], number);
            Grant grant = new Grant(meshes.contains("*"), meshes, mayWrite(fields.length == 3 ? fields[2] : "write", number));
            byte[] token = fields[0].getBytes(StandardCharsets.UTF_8);
            for (int j = 0; j < entries.size(); j++) {
                if (MessageDigest.isEqual(entries.get(j).token(), token)) {
                    throw new IllegalArgumentException("tokens line " + number + ": the same token as line " + lineOf.get(j)
                            + "; give each token one line");
                }
            }
            if (token.length < SHORT_TOKEN_BYTES) {
                warnings.add("tokens line " + number + ": the token is shorter than " + SHORT_TOKEN_BYTES
                        + " bytes and could be guessed; use a long random one, e.g. from `openssl rand -base64 32`");
            }
            entries.add(new Entry(token, grant));
            lineOf.add(number);
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no token in the tokens file");
        }
        return new Tokens(List.copyOf(entries), List.copyOf(warnings));
    }

    private static Set<String> meshes(String list, int number) {
        Set<String> meshes = new LinkedHashSet<>();
        for (String mesh : list.split(",", -1)) {
            if (mesh.isBlank()) {
                throw new IllegalArgumentException("tokens line " + number + ": an empty mesh name in the mesh list");
            }
            meshes.add(mesh);
        }
        return Set.copyOf(meshes);
    }

    private static boolean mayWrite(String access, int number) {
        return switch (access) {
            case "write" -> true;
            case "read" -> false;
            default -> throw new IllegalArgumentException("tokens line " + number + ": the third field must be read or write, got '"
                    + access + "'");
        };
    }

    /**
     * One token that may read and write every mesh.
     *
     * @throws IllegalArgumentException when it is empty or only whitespace
     */
    public static Tokens admin(String token) {
        if (token.isBlank()) {
            throw new IllegalArgumentException("the admin token is empty");
        }
        return new Tokens(List.of(new Entry(token.getBytes(StandardCharsets.UTF_8), new Grant(true, Set.of(), true))), List.of());
    }

    /** Lines that work but should be fixed (short tokens), each naming its line, never its token. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * What the bearer token of a request may do.
     *
     * @param authorization the {@code Authorization} header, or null
     * @return empty when there is no bearer token or nobody issued it
     */
    public Optional<Grant> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (presented.length == 0) {
            return Optional.empty();
        }
        Grant match = null;
        for (Entry entry : entries) {
            // Compares every token in constant time, so timing reveals nothing about them.
            if (MessageDigest.isEqual(entry.token(), presented) && match == null) {
                match = entry.grant();
            }
        }
        return Optional.ofNullable(match);
    }

    /**
     * Whether a request may write.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param meshes        every mesh the request writes
     */
    public Verdict check(String authorization, Collection<String> meshes) {
        Optional<Grant> grant = authenticate(authorization);
        if (grant.isEmpty()) {
            return Verdict.UNAUTHENTICATED;
        }
        if (!grant.get().mayWrite()) {
            return Verdict.READ_ONLY;
        }
        return meshes.stream().allMatch(grant.get()::covers) ? Verdict.ALLOWED : Verdict.FORBIDDEN;
    }
}
