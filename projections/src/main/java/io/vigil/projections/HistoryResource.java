package io.vigil.projections;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * History for audits: when did a dataplane or service change, and which fact caused it. Reads the
 * change topics by time ({@link ChangeHistory}) on a worker thread; the answer lists transitions
 * oldest first, each with the time it was written and the change as SPEC section 5 writes it. Only
 * of a mesh within the request's {@link ReadScope}.
 *
 * <p>Each read holds a Kafka consumer, so the reads at once are bounded
 * ({@code vigil.projections.history.max-concurrent-reads}): a request that finds every slot taken
 * gets {@code 429} with {@code Retry-After} at once. 429: the bound is on requests of this kind
 * at once, and the server is otherwise able to answer (the live stream, one long-lived connection
 * whose refusals have always been 503, refuses its catch-ups with 503: see {@link ChangesResource}).
 * A read that stops early (at {@code limit}, or after examining
 * {@code vigil.projections.history.max-scanned-records} records) answers {@code truncated} with a
 * {@code next} cursor that continues it.
 */
@Path("/api/v1")
@ReadApi
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "Reads need a token (vigil.require-read-token) and the request has none, or an unknown one")
@Tag(name = "projections")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_LIMIT = 10_000;
    private static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    /** History reads are bounded in what they scan, so a slot is free again within about this long. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final ChangeHistory history;
    private final ChangeFollower follower;
    private final RequestReadScope scope;

    HistoryResource(ChangeHistory history, ChangeFollower follower, RequestReadScope scope) {
        this.history = history;
        this.follower = follower;
        this.scope = scope;
    }

    /** Reads one entity's page of history. */
    private interface Reader {
        ChangeHistory.Page read(Instant from, Instant to, int limit, ChangeCursor after);
    }

    @GET
    @Path("/meshes/{mesh}/dataplanes/{name}/history")
    @Operation(summary = "A dataplane's history", description = "Its proxy changes and its inbounds' changes written between from and "
            + "to (ISO-8601; default the last 24 hours), oldest first, at most limit (default 1000, at most 10000) of them. "
            + "A request examines at most vigil.projections.history.max-scanned-records records: truncated says whether more may "
            + "match, and then next is a cursor that continues (pass it as next, with the answer's from and to). "
            + "Each has its time, its place in Kafka and the change with its cause.")
    @APIResponse(responseCode = "400", description = "from or to is not an ISO-8601 date-time, from is after to, limit is out of range, "
            + "or next is not a cursor of this API")
    @APIResponse(responseCode = "403", description = "The token may not read this mesh")
    @APIResponse(responseCode = "429", description = "vigil.projections.history.max-concurrent-reads history reads are running; "
            + "retry after Retry-After seconds")
    public Response dataplane(@PathParam("mesh") String mesh, @PathParam("name") String name,
                              @Parameter(description = "Start of the window, e.g. 2026-11-26T10:00:00Z") @QueryParam("from") String from,
                              @Parameter(description = "End of the window (inclusive)") @QueryParam("to") String to,
                              @QueryParam("limit") @DefaultValue("1000") int limit,
                              @Parameter(description = "The next of a truncated answer: continues it") @QueryParam("next") String next) {
        return answer("dataplane", mesh, name, from, to, limit, next, (f, t, l, a) -> history.dataplane(mesh, name, f, t, l, a));
    }

    @GET
    @Path("/meshes/{mesh}/services/{name}/history")
    @Operation(summary = "A service's history", description = "Its changes written between from and to, like a dataplane's history.")
    @APIResponse(responseCode = "400", description = "from or to is not an ISO-8601 date-time, from is after to, limit is out of range, "
            + "or next is not a cursor of this API")
    @APIResponse(responseCode = "403", description = "The token may not read this mesh")
    @APIResponse(responseCode = "429", description = "vigil.projections.history.max-concurrent-reads history reads are running; "
            + "retry after Retry-After seconds")
    public Response service(@PathParam("mesh") String mesh, @PathParam("name") String name,
                            @QueryParam("from") String from, @QueryParam("to") String to,
                            @QueryParam("limit") @DefaultValue("1000") int limit, @QueryParam("next") String next) {
        return answer("service", mesh, name, from, to, limit, next, (f, t, l, a) -> history.service(mesh, name, f, t, l, a));
    }

    private Response answer(String kind, String mesh, String name, String fromText, String toText, int limit, String nextText,
                            Reader reader) {
        if (!follower.enabled()) {
            return ApiErrors.response(404, "the projections role does not run in this process");
        }
        if (!scope.get().allows(mesh)) {
            return ApiErrors.outOfScope(mesh);
        }
        Instant now = Instant.now();
        Instant to;
        Instant from;
        try {
            to = toText == null ? now : OffsetDateTime.parse(toText).toInstant();
            from = fromText == null ? to.minus(DEFAULT_WINDOW) : OffsetDateTime.parse(fromText).toInstant();
        } catch (DateTimeException e) {
            return ApiErrors.response(400, "from and to must be ISO-8601 date-times with an offset, e.g. 2026-11-26T10:00:00Z: " + e.getMessage());
        }
        if (from.isAfter(to)) {
            return ApiErrors.response(400, "from (" + from + ") is after to (" + to + ")");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            return ApiErrors.response(400, "limit must be from 1 to " + MAX_LIMIT + ", got " + limit);
        }
        ChangeCursor after = null;
        if (nextText != null && !nextText.isBlank()) {
            try {
                after = ChangeCursor.decode(nextText);
            } catch (IllegalArgumentException e) {
                return ApiErrors.response(400, "next is not a cursor this API gave out: " + e.getMessage());
            }
        }
        Slots.Slot slot = history.slots().tryTake();
        if (slot == null) {
            return ApiErrors.retryLater(429, RETRY_AFTER, "too many history reads are running; retry after " + RETRY_AFTER.toSeconds() + " s");
        }
        ChangeHistory.Page page;
        try (slot) {
            page = reader.read(from, to, limit, after);
        }
        StreamingOutput body = out -> {
            try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                g.writeStartObject();
                g.writeStringField("mesh", mesh);
                g.writeStringField(kind, name);
                g.writeStringField("from", from.toString());
                g.writeStringField("to", to.toString());
                g.writeBooleanField("truncated", page.truncated());
                if (page.truncated()) {
                    g.writeStringField("next", page.next().encode());
                }
                g.writeArrayFieldStart("transitions");
                for (HealthChange change : page.transitions()) {
                    g.writeStartObject();
                    g.writeStringField("time", change.time().toString());
                    g.writeStringField("topic", ChangeTopics.ALL.get(change.topic()));
                    g.writeNumberField("partition", change.partition());
                    g.writeNumberField("offset", change.offset());
                    g.writeFieldName("change");
                    change.write(g);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
        };
        return Response.ok(body).build();
    }
}
