package io.vigil.projections;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.avro.ProxyState;
import io.vigil.avro.ServiceState;
import io.vigil.schemas.HealthJson;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The SPEC section 6 read paths: the whole state, one dataplane, one service, in the SPEC section 5
 * JSON (written by {@link HealthJson}, like {@code vigil replay}), within the request's
 * {@link ReadScope}. Single entities carry their version as a strong ETag; {@code If-None-Match}
 * with it answers {@code 304}.
 */
@Path("/api/v1")
@ReadApi
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "Reads need a token (vigil.require-read-token) and the request has none, or an unknown one")
@Tag(name = "projections", description = "Health as the pipeline computed it")
@Produces(MediaType.APPLICATION_JSON)
public class StateResource {

    private static final JsonFactory JSON = new JsonFactory();

    private final HealthViews views;
    private final ChangeFollower follower;
    private final RequestReadScope scope;

    StateResource(HealthViews views, ChangeFollower follower, RequestReadScope scope) {
        this.views = views;
        this.follower = follower;
        this.scope = scope;
    }

    @GET
    @Path("/state")
    @Operation(summary = "The whole current state", description = "Dataplanes and services, each sorted by mesh then name; ?mesh= narrows it. "
            + "With a mesh-scoped read token: only the token's meshes.")
    @APIResponse(responseCode = "200", description = "SPEC section 5 state")
    @APIResponse(responseCode = "403", description = "?mesh= names a mesh the token may not read")
    @APIResponse(responseCode = "404", description = "The projections role does not run in this process")
    public Response state(@QueryParam("mesh") String mesh) {
        if (!follower.enabled()) {
            return notRunning();
        }
        ReadScope readable = scope.get();
        if (mesh != null && !readable.allows(mesh)) {
            return ApiErrors.outOfScope(mesh);
        }
        List<Map.Entry<String[], HealthViews.Versioned<ProxyState>>> dataplanes = views.dataplanes(mesh, readable);
        List<Map.Entry<String[], HealthViews.Versioned<ServiceState>>> services = views.services(mesh, readable);
        StreamingOutput body = out -> write(out, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("dataplanes");
            for (var dp : dataplanes) {
                HealthJson.writeDataplane(g, dp.getKey()[0], dp.getKey()[1], dp.getValue().state(), dp.getValue().version());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("services");
            for (var svc : services) {
                String[] key = svc.getKey();
                ServiceState state = svc.getValue().state();
                HealthJson.writeService(g, key[0], key[1], state, views.endpoints(key[0], key[1], state), svc.getValue().version());
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        return Response.ok(body).build();
    }

    @GET
    @Path("/meshes/{mesh}/dataplanes/{name}")
    @Operation(summary = "One dataplane", description = "Its status and since (when that status began), connection and "
            + "connectedSince, inbounds (each with ready, serving and terminating), reasons and version.")
    @APIResponse(responseCode = "200", description = "The dataplane (ETag: its version)")
    @APIResponse(responseCode = "304", description = "Unchanged since the version in If-None-Match")
    @APIResponse(responseCode = "403", description = "The token may not read this mesh (whether or not the dataplane exists)")
    @APIResponse(responseCode = "404", description = "No such dataplane")
    public Response dataplane(@PathParam("mesh") String mesh, @PathParam("name") String name,
                              @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return one("dataplane", mesh, name, views::dataplane, ifNoneMatch, HealthJson::writeDataplane);
    }

    @GET
    @Path("/meshes/{mesh}/services/{name}")
    @Operation(summary = "One service", description = "Its status and since (the newest of its members' since: when one last joined or changed status), member counts, endpoints (all of them; "
            + "GET .../endpoints lists a large service's page by page) and version.")
    @APIResponse(responseCode = "200", description = "The service (ETag: its version)")
    @APIResponse(responseCode = "304", description = "Unchanged since the version in If-None-Match")
    @APIResponse(responseCode = "403", description = "The token may not read this mesh (whether or not the service exists)")
    @APIResponse(responseCode = "404", description = "No such service")
    public Response service(@PathParam("mesh") String mesh, @PathParam("name") String name,
                            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return one("service", mesh, name, views::service, ifNoneMatch,
                (g, m, n, state, version) -> HealthJson.writeService(g, m, n, state, views.endpoints(m, n, state), version));
    }

    /** Writes one entity of a view the way {@link HealthJson} does. */
    private interface EntityWriter<T> {
        void write(JsonGenerator g, String mesh, String name, T state, Long version) throws IOException;
    }

    /** Looks one entity up in a view. */
    private interface Lookup<T> {
        HealthViews.Versioned<T> find(String mesh, String name);
    }

    /** Looks the entity up only within the read scope, so that another mesh's entity never reaches the answer. */
    private <T> Response one(String kind, String mesh, String name, Lookup<T> lookup, String ifNoneMatch, EntityWriter<T> writer) {
        if (!follower.enabled()) {
            return notRunning();
        }
        if (!scope.get().allows(mesh)) {
            return ApiErrors.outOfScope(mesh);
        }
        HealthViews.Versioned<T> entity = lookup.find(mesh, name);
        if (entity == null) {
            return notFound("no " + kind + " " + name + " in mesh " + mesh);
        }
        return versioned(entity.version(), ifNoneMatch, g -> writer.write(g, mesh, name, entity.state(), entity.version()));
    }

    private interface JsonWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private static Response versioned(long version, String ifNoneMatch, JsonWriter writer) {
        EntityTag tag = new EntityTag(Long.toString(version));
        if (ifNoneMatch != null && (ifNoneMatch.strip().equals("*") || ifNoneMatch.contains("\"" + version + "\""))) {
            return Response.notModified(tag).build();
        }
        return Response.ok((StreamingOutput) out -> write(out, writer)).tag(tag).build();
    }

    private static void write(OutputStream out, JsonWriter writer) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            writer.write(g);
        }
    }

    private static Response notFound(String message) {
        return Response.status(Response.Status.NOT_FOUND).entity(Map.of("status", 404, "error", message)).build();
    }

    private static Response notRunning() {
        return Response.status(Response.Status.NOT_FOUND)
                .entity(Map.of("status", 404, "error", "the projections role does not run in this process")).build();
    }
}
