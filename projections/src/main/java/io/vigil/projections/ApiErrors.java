package io.vigil.projections;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Map;

/** The read API's error answers: {@code {"status": N, "error": "what is wrong"}}. Stateless. */
final class ApiErrors {

    private ApiErrors() {
    }

    /**
     * The answer to a path or filter that names a mesh outside the request's {@link ReadScope}: the
     * same whether that mesh, or the entity asked for, exists or not, so it tells nothing about them.
     */
    static Response outOfScope(String mesh) {
        return response(403, "this token may not read mesh " + mesh);
    }

    static Response response(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("status", status, "error", message)).build();
    }

    /** A refusal for want of capacity ({@code 429} or {@code 503}) that says, in {@code Retry-After}, when to try again. */
    static Response retryLater(int status, Duration after, String message) {
        return Response.status(status).header("Retry-After", Math.max(1, after.toSeconds())).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", status, "error", message)).build();
    }
}
