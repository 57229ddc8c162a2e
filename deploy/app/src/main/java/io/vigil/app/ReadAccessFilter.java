package io.vigil.app;

import io.vigil.ingest.Tokens;
import io.vigil.projections.ReadApi;
import io.vigil.projections.ReadScope;
import io.vigil.projections.RequestReadScope;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates every request to the read API ({@link ReadApi} resources) and sets its
 * {@link RequestReadScope}: every mesh while reads are open; with {@code vigil.require-read-token},
 * the meshes of the request's bearer token (a token reads the meshes it may write, or those of
 * its {@code read} line), and {@code 401} without a known token. The same tokens as the write API.
 *
 * <p>Thread-safe: stateless; the scope it sets belongs to the request. Built while the application
 * is set up, before runtime configuration exists: it reads configuration through {@link AccessTokens},
 * which is created on first use.
 */
@Provider
@ReadApi
@Priority(Priorities.AUTHENTICATION)
public class ReadAccessFilter implements ContainerRequestFilter {

    private final AccessTokens tokens;
    private final RequestReadScope scope;

    ReadAccessFilter(AccessTokens tokens, RequestReadScope scope) {
        this.tokens = tokens;
        this.scope = scope;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!tokens.readsNeedToken()) {
            scope.set(ReadScope.EVERY_MESH);
            return;
        }
        Optional<Tokens.Grant> grant = tokens.tokens().authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (grant.isEmpty()) {
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("status", 401, "error", "reads need a token here: Authorization: Bearer TOKEN")).build());
            return;
        }
        scope.set(grant.get().everyMesh() ? ReadScope.EVERY_MESH : ReadScope.of(grant.get().meshes()));
    }
}
