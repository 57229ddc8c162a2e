package io.vigil.projections;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/changes}: every inbound, proxy and service change as server-sent events
 * ({@code id:} a {@link ChangeCursor}, {@code event:} the level, {@code data:} the SPEC section 5
 * change JSON), filtered, resumable with {@code Last-Event-ID}, optionally preceded by the current
 * state ({@code ?initial=true}), with {@code bookmark} events on quiet streams, and only ever of the
 * meshes of the request's {@link ReadScope} (checked per change, per client). A cursor whose changes
 * the topics no longer hold is {@code 410 Gone}. Under the same class-level path as
 * the other read resources, as JAX-RS path matching needs.
 *
 * <p>Refusals for want of capacity are {@code 503}: too many streams, the views still catching up,
 * and too many resuming streams catching up from Kafka at once
 * ({@code vigil.projections.stream.max-concurrent-catch-ups}, with {@code Retry-After}). 503 rather
 * than the history's 429: a stream is one long-lived connection rather than a rate of requests,
 * and its clients (the web page among them) have one rule for every refusal of the stream, "try
 * again later", which a third status would split.
 */
@Path("/api/v1")
@ReadApi
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "Reads need a token (vigil.require-read-token) and the request has none, or an unknown one")
@Tag(name = "projections")
public class ChangesResource {

    /** About the web page's own retry interval; a refused client loses nothing by waiting, its cursor keeps. */
    private static final Duration CATCH_UP_RETRY = Duration.ofSeconds(5);

    private final ChangeStream stream;
    private final ChangeFollower follower;
    private final RequestReadScope scope;

    ChangesResource(ChangeStream stream, ChangeFollower follower, RequestReadScope scope) {
        this.stream = stream;
        this.follower = follower;
        this.scope = scope;
    }

    @GET
    @Path("/changes")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Live stream of changes", description = "Server-sent events: id is an opaque cursor, event is inbound, proxy "
            + "or service, data is the change as SPEC section 5 writes it. Reconnect with Last-Event-ID (or ?lastEventId=) to resume "
            + "exactly after the last event received, on any instance. Order holds per partition, and so per entity (by version), "
            + "not across entities. A client that falls more than vigil.projections.stream.buffer changes behind gets a final "
            + "'dropped' event whose data gives the reason and the cursor to resume from, and the stream closes. "
            + "A resume further behind than vigil.projections.stream.max-catch-up-changes is not replayed: its 'dropped' event "
            + "has reload: true and the cursor of the present; re-read /api/v1/state, then resume from that cursor. "
            + "With initial=true (and no Last-Event-ID) the stream first sends the current state of every entity the filters pass, "
            + "as inbound, proxy and service events with \"initial\": true, null previousStatus/previousReady and null cause, and "
            + "no id; then one 'bookmark' event whose id (and data.cursor) is the position of that state, with "
            + "\"endOfInitialState\": true; then the live changes after exactly that position. A resume (Last-Event-ID) sends no "
            + "initial state. A stream that was sent no change for vigil.projections.stream.bookmark-interval gets a 'bookmark' "
            + "event carrying its current cursor (id and data.cursor). "
            + "Idle streams get a ': keepalive' comment every vigil.projections.stream.keepalive. "
            + "With a mesh-scoped read token, only the token's meshes' changes.")
    @APIResponse(responseCode = "200", description = "The stream")
    @APIResponse(responseCode = "400", description = "A bad filter or a Last-Event-ID that is not a cursor of this API")
    @APIResponse(responseCode = "403", description = "mesh names a mesh the token may not read")
    @APIResponse(responseCode = "404", description = "The projections role does not run in this process")
    @APIResponse(responseCode = "410", description = "The change topics no longer hold every change after the Last-Event-ID (retention "
            + "or deleted records moved a partition's start past it): re-read GET /api/v1/state and open a new stream, or open one "
            + "with initial=true")
    @APIResponse(responseCode = "503", description = "The views are still catching up, too many streams are open, or (with a "
            + "Last-Event-ID or initial=true) vigil.projections.stream.max-concurrent-catch-ups are catching up: retry after "
            + "Retry-After seconds")
    public void changes(@Context SseEventSink sink, @Context Sse sse,
                        @Parameter(description = "Only this mesh") @QueryParam("mesh") String mesh,
                        @Parameter(description = "inbound, proxy and/or service, comma-separated") @QueryParam("level") String level,
                        @Parameter(description = "Only this service's changes and those of its dataplanes and inbounds") @QueryParam("service") String service,
                        @Parameter(description = "Only this dataplane's proxy and inbound changes") @QueryParam("dataplane") String dataplane,
                        @HeaderParam("Last-Event-ID") String lastEventId,
                        @Parameter(description = "Like Last-Event-ID, for clients that cannot set headers") @QueryParam("lastEventId") String lastEventIdParam,
                        @Parameter(description = "true: first the current state of every entity the filters pass, then a bookmark, "
                                + "then live changes (ignored with Last-Event-ID)") @QueryParam("initial") String initial) {
        if (!follower.enabled()) {
            throw error(404, "the projections role does not run in this process");
        }
        ReadScope readable = scope.get();
        if (mesh != null && !mesh.isBlank() && !readable.allows(mesh)) {
            throw new WebApplicationException(ApiErrors.outOfScope(mesh));
        }
        ChangeFilter filter;
        ChangeCursor resume = null;
        if (initial != null && !initial.equals("true") && !initial.equals("false")) {
            throw error(400, "initial must be true or false, got '" + initial + "'");
        }
        try {
            filter = ChangeFilter.of(mesh, level, service, dataplane, readable);
        } catch (IllegalArgumentException e) {
            throw error(400, e.getMessage());
        }
        String cursor = lastEventId != null && !lastEventId.isBlank() ? lastEventId : lastEventIdParam;
        if (cursor != null && !cursor.isBlank()) {
            try {
                resume = ChangeCursor.decode(cursor);
            } catch (IllegalArgumentException e) {
                throw error(400, "Last-Event-ID is not a cursor this API gave out: " + e.getMessage());
            }
        }
        if (!follower.caughtUp()) {
            throw error(503, "the views are still catching up with the change topics; retry shortly");
        }
        switch (stream.open(sink, sse, filter, resume, "true".equals(initial))) {
            case TOO_MANY_STREAMS -> throw error(503, "too many live streams are open; retry later");
            case TOO_MANY_CATCH_UPS -> throw new WebApplicationException(ApiErrors.retryLater(503, CATCH_UP_RETRY,
                    "too many resuming streams are catching up; retry after " + CATCH_UP_RETRY.toSeconds() + " s"));
            case KAFKA_UNAVAILABLE -> throw new WebApplicationException(ApiErrors.retryLater(503, CATCH_UP_RETRY,
                    "the change topics cannot be read now; retry after " + CATCH_UP_RETRY.toSeconds() + " s"));
            case GONE -> throw error(410, "the change topics no longer hold every change after this cursor (retention or deleted "
                    + "records moved a partition's start past it), so resuming would skip changes: read GET /api/v1/state again and "
                    + "open a new stream, or open one with ?initial=true");
            case OPEN -> {
                // Streaming: the sink is the answer.
            }
        }
    }

    private static WebApplicationException error(int status, String message) {
        return new WebApplicationException(ApiErrors.response(status, message));
    }
}
