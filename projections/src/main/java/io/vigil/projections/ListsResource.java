package io.vigil.projections;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.avro.Endpoint;
import io.vigil.avro.HealthStatus;
import io.vigil.avro.ProxyState;
import io.vigil.avro.ServiceState;
import io.vigil.schemas.HealthJson;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Lists over the views: meshes with counts per status (like Kuma's mesh insight), a mesh's
 * dataplanes and services with filters and pagination in name order (the {@code next} cursor
 * resumes after the last name returned), and a service's endpoints; all within the request's
 * {@link ReadScope}.
 */
@Path("/api/v1")
@ReadApi
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "Reads need a token (vigil.require-read-token) and the request has none, or an unknown one")
@Tag(name = "projections")
@Produces(MediaType.APPLICATION_JSON)
public class ListsResource {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_SIZE = 1000;

    private final HealthViews views;
    private final ChangeFollower follower;
    private final DataplaneTags tags;
    private final RequestReadScope scope;

    ListsResource(HealthViews views, ChangeFollower follower, DataplaneTags tags, RequestReadScope scope) {
        this.views = views;
        this.follower = follower;
        this.tags = tags;
        this.scope = scope;
    }

    @GET
    @Path("/meshes")
    @Operation(summary = "Meshes", description = "Every mesh with its dataplanes and services counted per status; with a mesh-scoped "
            + "read token, the token's meshes.")
    public Response meshes() {
        if (!follower.enabled()) {
            return ApiErrors.response(404, "the projections role does not run in this process");
        }
        ReadScope readable = scope.get();
        Map<String, int[][]> counts = new TreeMap<>();
        for (var dp : views.dataplanes(null, readable)) {
            counts.computeIfAbsent(dp.getKey()[0], m -> new int[2][3])[0][index(dp.getValue().state().getStatus())]++;
        }
        for (var svc : views.services(null, readable)) {
            counts.computeIfAbsent(svc.getKey()[0], m -> new int[2][3])[1][index(svc.getValue().state().getStatus())]++;
        }
        StreamingOutput body = out -> {
            try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                g.writeStartArray();
                for (Map.Entry<String, int[][]> mesh : counts.entrySet()) {
                    g.writeStartObject();
                    g.writeStringField("mesh", mesh.getKey());
                    writeCounts(g, "dataplanes", mesh.getValue()[0]);
                    writeCounts(g, "services", mesh.getValue()[1]);
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
        };
        return Response.ok(body).build();
    }

    @GET
    @Path("/meshes/{mesh}/dataplanes")
    @Operation(summary = "A mesh's dataplanes", description = "Filtered by status, service, tag (key:value, held by one of its "
            + "inbounds or its gateway) and name prefix, in name order, size at a time; pass the answer's next to get the following page.")
    @APIResponse(responseCode = "400", description = "A filter or the page size is not valid")
    @APIResponse(responseCode = "403", description = "The token may not read this mesh")
    public Response dataplanes(@PathParam("mesh") String mesh, @QueryParam("status") String status,
                               @QueryParam("service") String service, @QueryParam("tag") String tag,
                               @QueryParam("prefix") @DefaultValue("") String prefix,
                               @QueryParam("size") @DefaultValue("100") int size, @QueryParam("next") String next) {
        Response invalid = check(mesh, status, tag, size, next);
        if (invalid != null) {
            return invalid;
        }
        DataplaneTags.Tag wanted = tag == null ? null : DataplaneTags.Tag.parse(tag);
        BiPredicate<String, ProxyState> filter = (name, dp) -> (status == null || HealthJson.status(dp.getStatus()).equals(status))
                && (service == null || dp.getServices().contains(service))
                && (wanted == null || tags.dataplaneHas(mesh, name, wanted));
        return page(views.dataplanePage(mesh, after(next), prefix, size, filter),
                (g, key, value) -> HealthJson.writeDataplane(g, key[0], key[1], value.state(), value.version()));
    }

    @GET
    @Path("/meshes/{mesh}/services")
    @Operation(summary = "A mesh's services", description = "Filtered by status, tag (key:value, held by one of the service's "
            + "inbounds) and name prefix, in name order, size at a time.")
    @APIResponse(responseCode = "400", description = "A filter or the page size is not valid")
    @APIResponse(responseCode = "403", description = "The token may not read this mesh")
    public Response services(@PathParam("mesh") String mesh, @QueryParam("status") String status,
                             @QueryParam("tag") String tag, @QueryParam("prefix") @DefaultValue("") String prefix,
                             @QueryParam("size") @DefaultValue("100") int size, @QueryParam("next") String next) {
        Response invalid = check(mesh, status, tag, size, next);
        if (invalid != null) {
            return invalid;
        }
        Set<String> tagged = tag == null ? null : tags.servicesWith(mesh, DataplaneTags.Tag.parse(tag));
        BiPredicate<String, ServiceState> filter = (name, svc) -> (status == null || HealthJson.status(svc.getStatus()).equals(status))
                && (tagged == null || tagged.contains(name));
        return page(views.servicePage(mesh, after(next), prefix, size, filter),
                (g, key, value) -> HealthJson.writeServiceSummary(g, key[0], key[1], value.state(), value.version()));
    }

    @GET
    @Path("/meshes/{mesh}/services/{name}/endpoints")
    @Operation(summary = "A service's endpoints", description = "Its load-balancing set, every ready inbound as {dataplane, address, "
            + "port}, by dataplane then port, size at a time; pass the answer's next to get the following page.")
    @APIResponse(responseCode = "400", description = "The page size or the cursor is not valid")
    @APIResponse(responseCode = "403", description = "The token may not read this mesh (whether or not the service exists)")
    @APIResponse(responseCode = "404", description = "No such service")
    public Response endpoints(@PathParam("mesh") String mesh, @PathParam("name") String name,
                              @QueryParam("size") @DefaultValue("100") int size, @QueryParam("next") String next) {
        Response invalid = check(mesh, null, null, size, null);
        if (invalid != null) {
            return invalid;
        }
        HealthViews.EndpointCursor after = next == null ? null : endpointCursor(next);
        if (next != null && after == null) {
            return ApiErrors.response(400, "next is not a cursor this API gave out");
        }
        HealthViews.Versioned<ServiceState> svc = views.service(mesh, name);
        if (svc == null) {
            return ApiErrors.response(404, "no service " + name + " in mesh " + mesh);
        }
        HealthViews.EndpointPage found = views.endpointPage(mesh, name, svc.state(), after, size);
        String cursor = found.next() == null ? null : encode(found.next().dataplane() + "\n" + found.next().port());
        return page(g -> {
            for (Endpoint endpoint : found.endpoints()) {
                HealthJson.writeEndpoint(g, endpoint);
            }
        }, cursor);
    }

    /** The endpoint an endpoints cursor ({@code dataplane\nport}) resumes after; null when it is not one. */
    private static HealthViews.EndpointCursor endpointCursor(String next) {
        String text = decode(next);
        int newline = text == null ? -1 : text.lastIndexOf('\n');
        if (newline < 0) {
            return null;
        }
        try {
            return new HealthViews.EndpointCursor(text.substring(0, newline), Integer.parseInt(text.substring(newline + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private interface EntryWriter<T> {
        void write(JsonGenerator g, String[] key, HealthViews.Versioned<T> value) throws java.io.IOException;
    }

    /** The name a {@code next} cursor resumes after; null for the first page. */
    private static String after(String next) {
        return next == null ? null : decode(next);
    }

    private static <T> Response page(HealthViews.Page<T> found, EntryWriter<T> writer) {
        List<Map.Entry<String[], HealthViews.Versioned<T>>> page = found.entries();
        String cursor = found.more() ? encode(page.get(page.size() - 1).getKey()[1]) : null;
        return page(g -> {
            for (var entry : page) {
                writer.write(g, entry.getKey(), entry.getValue());
            }
        }, cursor);
    }

    /** Writes a page's items. */
    private interface ItemsWriter {
        void write(JsonGenerator g) throws java.io.IOException;
    }

    /** {@code {"items": [...], "next": cursor}}; a null cursor: the last page. */
    private static Response page(ItemsWriter items, String cursor) {
        StreamingOutput body = out -> {
            try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                g.writeStartObject();
                g.writeArrayFieldStart("items");
                items.write(g);
                g.writeEndArray();
                if (cursor == null) {
                    g.writeNullField("next");
                } else {
                    g.writeStringField("next", cursor);
                }
                g.writeEndObject();
            }
        };
        return Response.ok(body).build();
    }

    private Response check(String mesh, String status, String tag, int size, String next) {
        if (!follower.enabled()) {
            return ApiErrors.response(404, "the projections role does not run in this process");
        }
        if (!scope.get().allows(mesh)) {
            return ApiErrors.outOfScope(mesh);
        }
        if (status != null && !List.of("online", "offline", "partially_degraded").contains(status)) {
            return ApiErrors.response(400, "status must be online, offline or partially_degraded, got '" + status + "'");
        }
        if (tag != null) {
            try {
                DataplaneTags.Tag.parse(tag);
            } catch (IllegalArgumentException e) {
                return ApiErrors.response(400, e.getMessage());
            }
        }
        if (size < 1 || size > MAX_SIZE) {
            return ApiErrors.response(400, "size must be from 1 to " + MAX_SIZE + ", got " + size);
        }
        if (next != null && decode(next) == null) {
            return ApiErrors.response(400, "next is not a cursor this API gave out");
        }
        return null;
    }

    private static String encode(String name) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int index(HealthStatus status) {
        return switch (status) {
            case ONLINE -> 0;
            case OFFLINE -> 1;
            case PARTIALLY_DEGRADED -> 2;
        };
    }

    private static void writeCounts(JsonGenerator g, String field, int[] byStatus) throws java.io.IOException {
        g.writeObjectFieldStart(field);
        g.writeNumberField("total", byStatus[0] + byStatus[1] + byStatus[2]);
        g.writeNumberField("online", byStatus[0]);
        g.writeNumberField("offline", byStatus[1]);
        g.writeNumberField("partiallyDegraded", byStatus[2]);
        g.writeEndObject();
    }
}
