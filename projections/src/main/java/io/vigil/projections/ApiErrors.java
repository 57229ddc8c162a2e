package io.vigil.projections;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** The read API's error answers: {@code {"status": N, "error": "what is wrong"}}. Stateless. */
final class ApiErrors {

    private ApiErrors() {
    }

    static Response response(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("status", status, "error", message)).build();
    }
}
