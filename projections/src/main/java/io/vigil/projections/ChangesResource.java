package io.vigil.projections;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.smallrye.common.annotation.Blocking;
import io.vigil.schemas.GoDuration;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * the topics no longer hold is {@code 410 Gone}. {@code GET /api/v1/changes/poll} serves the same
 * changes by long-polling ({@link ChangePoll}). Under the same class-level path as
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
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    /** Longer than most proxies keep an idle request open; a client polls again instead. */
    private static final Duration MAX_WAIT = Duration.ofMinutes(5);
    private static final JsonFactory JSON = new JsonFactory();

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
        ChangeFilter filter = filter(mesh, level, service, dataplane);
        if (initial != null && !initial.equals("true") && !initial.equals("false")) {
            throw error(400, "initial must be true or false, got '" + initial + "'");
        }
        String cursor = lastEventId != null && !lastEventId.isBlank() ? lastEventId : lastEventIdParam;
        ChangeCursor resume = cursor == null || cursor.isBlank() ? null : cursor("Last-Event-ID", cursor);
        requireCaughtUp();
        refuseUnlessOpen(stream.open(sink, sse, filter, resume, "true".equals(initial)));
    }

    @GET
    @Path("/changes/poll")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Long-poll of changes", description = "For clients that cannot keep a stream open, like a Consul blocking "
            + "query: answers {\"changes\": [...], \"index\": cursor} as soon as at least one change the filters pass follows index "
            + "(those that have arrived by then, in stream order), or with no changes after wait. Poll again with the answer's "
            + "index: every change arrives once. Without index it answers at once with no changes and the index of the present. "
            + "When no change passed the filters the index may still move past changes they skipped. A poll from an index further "
            + "behind than vigil.projections.stream.max-catch-up-changes answers \"reload\": true and the index of the present: "
            + "re-read /api/v1/state, then poll from it. Same filters, read scope and bounds as the stream: a poll counts as a "
            + "stream while it waits, and as a catch-up while it reads from Kafka (an index behind the present).")
    @APIResponse(responseCode = "200", description = "{changes, index} (and reload: true when the state must be re-read)")
    @APIResponse(responseCode = "400", description = "A bad filter, an index that is not a cursor of this API, or a bad wait")
    @APIResponse(responseCode = "403", description = "mesh names a mesh the token may not read")
    @APIResponse(responseCode = "404", description = "The projections role does not run in this process")
    @APIResponse(responseCode = "410", description = "The change topics no longer hold every change after index: re-read GET "
            + "/api/v1/state and poll without index, or open the stream with initial=true")
    @APIResponse(responseCode = "503", description = "The views are still catching up, too many streams are open, or "
            + "vigil.projections.stream.max-concurrent-catch-ups are catching up: retry after Retry-After seconds")
    public CompletionStage<Response> poll(@Context Sse sse,
                                          @Parameter(description = "Only this mesh") @QueryParam("mesh") String mesh,
                                          @Parameter(description = "inbound, proxy and/or service, comma-separated") @QueryParam("level") String level,
                                          @Parameter(description = "Only this service's changes and those of its dataplanes and inbounds") @QueryParam("service") String service,
                                          @Parameter(description = "Only this dataplane's proxy and inbound changes") @QueryParam("dataplane") String dataplane,
                                          @Parameter(description = "The index of the previous answer (or an event id of the stream); none: answer at once with the present") @QueryParam("index") String index,
                                          @Parameter(description = "How long to wait for a change: 1ms to 5m in Go's form (30s, 1m30s); default 30s") @QueryParam("wait") String wait) {
        ChangeFilter filter = filter(mesh, level, service, dataplane);
        ChangeCursor from = index == null || index.isBlank() ? null : cursor("index", index);
        Duration waiting = waitOf(wait);
        requireCaughtUp();
        if (from == null) {
            return CompletableFuture.completedFuture(answer(new ChangePoll.Answer(List.of(), stream.position().encode(), false)));
        }
        ChangeStream.Poll poll = stream.poll(sse, filter, from, waiting);
        refuseUnlessOpen(poll.opened());
        return poll.answer().thenApply(ChangesResource::answer);
    }

    /** The filters of a stream or a poll, within the request's read scope. */
    private ChangeFilter filter(String mesh, String level, String service, String dataplane) {
        if (!follower.enabled()) {
            throw error(404, "the projections role does not run in this process");
        }
        ReadScope readable = scope.get();
        if (mesh != null && !mesh.isBlank() && !readable.allows(mesh)) {
            throw new WebApplicationException(ApiErrors.outOfScope(mesh));
        }
        try {
            return ChangeFilter.of(mesh, level, service, dataplane, readable);
        } catch (IllegalArgumentException e) {
            throw error(400, e.getMessage());
        }
    }

    private static ChangeCursor cursor(String name, String text) {
        try {
            return ChangeCursor.decode(text);
        } catch (IllegalArgumentException e) {
            throw error(400, name + " is not a cursor this API gave out: " + e.getMessage());
        }
    }

    private static Duration waitOf(String wait) {
        if (wait == null || wait.isBlank()) {
            return DEFAULT_WAIT;
        }
        long millis;
        try {
            millis = GoDuration.parseMillis(wait.strip());
        } catch (IllegalArgumentException e) {
            throw error(400, "wait must be a duration such as 30s or 1m30s, got '" + wait + "'");
        }
        if (millis < 1 || millis > MAX_WAIT.toMillis()) {
            throw error(400, "wait must be between 1ms and " + MAX_WAIT.toMinutes() + "m, got '" + wait + "'");
        }
        return Duration.ofMillis(millis);
    }

    private void requireCaughtUp() {
        if (!follower.caughtUp()) {
            throw error(503, "the views are still catching up with the change topics; retry shortly");
        }
    }

    private static void refuseUnlessOpen(ChangeStream.Opened opened) {
        switch (opened) {
            case TOO_MANY_STREAMS -> throw error(503, "too many live streams are open; retry later");
            case TOO_MANY_CATCH_UPS -> throw new WebApplicationException(ApiErrors.retryLater(503, CATCH_UP_RETRY,
                    "too many resuming streams are catching up; retry after " + CATCH_UP_RETRY.toSeconds() + " s"));
            case KAFKA_UNAVAILABLE -> throw new WebApplicationException(ApiErrors.retryLater(503, CATCH_UP_RETRY,
                    "the change topics cannot be read now; retry after " + CATCH_UP_RETRY.toSeconds() + " s"));
            case GONE -> throw error(410, "the change topics no longer hold every change after this cursor (retention or deleted "
                    + "records moved a partition's start past it), so resuming would skip changes: read GET /api/v1/state again and "
                    + "open a new stream, or open one with ?initial=true");
            case OPEN -> {
                // Streaming, or the poll answers when it is over.
            }
        }
    }

    /** {@code {"changes": [...], "index": "...", "reload": true?}}, the changes as the stream's data wrote them. */
    private static Response answer(ChangePoll.Answer answer) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("changes");
            for (String change : answer.changes()) {
                g.writeRawValue(change);
            }
            g.writeEndArray();
            g.writeStringField("index", answer.index());
            if (answer.reload()) {
                g.writeBooleanField("reload", true);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Response.ok(out.toString(), MediaType.APPLICATION_JSON).build();
    }

    private static WebApplicationException error(int status, String message) {
        return new WebApplicationException(ApiErrors.response(status, message));
    }
}
