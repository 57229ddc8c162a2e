package io.vigil.ingest;

import io.smallrye.common.annotation.Blocking;
import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.EventBody;
import io.vigil.schemas.EventFormatException;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Problem;
import io.vigil.schemas.Topics;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/v1/events} (SPEC section 6): health facts in, onto the event log. A request is
 * all or nothing: every event is validated before any is written, and {@code 202} answers only
 * once Kafka has acknowledged all of them. Runs on a worker thread (it reads the body and waits
 * for Kafka).
 */
@Path("/api/v1/events")
@Tag(name = "ingest", description = "Health facts into the event log")
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A token of the tokens file (or the admin token): always for writes, for reads with vigil.require-read-token")
@SecurityRequirement(name = "bearer")
public class EventsResource {

    static final String NDJSON = "application/x-ndjson";
    private static final Set<String> ACCEPTED = Set.of(MediaType.APPLICATION_JSON, NDJSON);
    /** A record's framing beside its key and value: batch and record headers, generously. */
    private static final int RECORD_OVERHEAD = 128;
    /** A 400 lists this many problems at most, and says how many more there were. */
    static final int MAX_PROBLEMS_LISTED = 100;
    /** A starting role usually opens within a second or two, once vigil's topics exist. */
    private static final int STARTING_RETRY_SECONDS = 1;

    private final WriteApi api;
    private final EventLog log;
    private final IngestMetrics metrics;

    EventsResource(WriteApi api, EventLog log, IngestMetrics metrics) {
        this.api = api;
        this.log = log;
        this.metrics = metrics;
    }

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Append health facts to the event log",
            description = "A JSON array of SPEC section 1 events, or JSON lines (application/x-ndjson). Every event is checked "
                    + "first, against the SPEC and the per-tenant limits (vigil.ingest.limits.*); one bad event rejects the "
                    + "request and nothing is written. Needs Authorization: Bearer TOKEN for every mesh the events name. With tracing on "
                    + "(vigil serve --otlp-endpoint), a W3C traceparent header makes the request, its events and the changes they "
                    + "cause part of the caller's trace.")
    @RequestBody(required = true, content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = Object.class),
                example = "[{\"type\": \"stream-connected\", \"mesh\": \"default\", \"dataplane\": \"web-01\", "
                        + "\"time\": \"2026-11-26T10:00:00Z\", \"instance\": \"cp-1\"}]"),
        @Content(mediaType = NDJSON, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "202", description = "Kafka acknowledged every event: {\"accepted\": N}")
    @APIResponse(responseCode = "400", description = "Bad events: the problems (at most 100, then moreProblems: N), each with its "
            + "field path, prefixed by the event's index from 0 in an array, or with the line from 1 in JSON lines; nothing written")
    @APIResponse(responseCode = "401", description = "No bearer token, or an unknown one")
    @APIResponse(responseCode = "403", description = "The token may not write every mesh the events name, or may only read, or the "
            + "upserts would take a mesh past vigil.ingest.limits.max-dataplanes-per-mesh")
    @APIResponse(responseCode = "404", description = "The ingest role does not run in this process")
    @APIResponse(responseCode = "413", description = "The body is over vigil.ingest.max-body-bytes, or an event is over "
            + "vigil.ingest.max-event-bytes as a Kafka record; nothing written")
    @APIResponse(responseCode = "415", description = "Neither application/json nor application/x-ndjson")
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge every event within vigil.ingest.request-timeout "
            + "(retrying with the same event ids is safe), or the ingest role is still starting (Retry-After)")
    public Response append(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                           @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           InputStream body) throws IOException {
        Response response = handle(contentType, authorization, body);
        metrics.answered(response.getStatus());
        return response;
    }

    private Response handle(String contentType, String authorization, InputStream body) throws IOException {
        WriteApi.Settings open = api.settings();
        if (open == null && api.expected()) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, STARTING_RETRY_SECONDS)
                    .entity(problem(503, "the ingest role is starting (it waits for vigil's Kafka topics); retry after "
                            + STARTING_RETRY_SECONDS + " s")).build();
        }
        if (open == null) {
            return error(Response.Status.NOT_FOUND, "the ingest role does not run in this process");
        }
        Tokens tokens = open.tokens();
        WriteLimits limits = open.limits();
        long maxBodyBytes = limits.maxBodyBytes();
        String type = baseType(contentType);
        // Set.of(...).contains(null) throws: a request without Content-Type would be a 500.
        if (type == null || !ACCEPTED.contains(type)) {
            return error(Response.Status.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + (contentType == null ? "missing" : "'" + contentType + "'")
                    + ": send application/json (an array of events) or application/x-ndjson (one event per line)");
        }
        switch (tokens.check(authorization, Set.of())) {
            case UNAUTHENTICATED -> {
                return Response.status(Response.Status.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                        .entity(problem(401, "a valid bearer token is required: Authorization: Bearer TOKEN")).build();
            }
            case READ_ONLY -> {
                return error(Response.Status.FORBIDDEN, "this token may only read");
            }
            default -> {
                // May write: which meshes is checked once the body names them.
            }
        }
        byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        if (bytes.length > maxBodyBytes) {
            return error(Response.Status.REQUEST_ENTITY_TOO_LARGE, "the body is over the limit of " + maxBodyBytes + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return error(Response.Status.BAD_REQUEST, "the body is not valid UTF-8");
        }
        EventBody parsed;
        try {
            parsed = EventBody.read(text, limits.events()::check);
        } catch (EventFormatException invalid) {
            return invalid(invalid.problems());
        }
        List<DataplaneEvent> events = parsed.events();
        if (events.isEmpty()) {
            return error(Response.Status.BAD_REQUEST, "the body holds no events");
        }
        // An event's record is hardly larger than its JSON (a byte per absent optional field), so a body
        // well under the limit cannot hold an event over it: only larger bodies pay for encoding twice.
        for (int i = 0; bytes.length + RECORD_OVERHEAD * 8L > limits.maxEventBytes() && i < events.size(); i++) {
            int recordBytes = recordBytes(events.get(i));
            if (recordBytes > limits.maxEventBytes()) {
                return error(Response.Status.REQUEST_ENTITY_TOO_LARGE, "the event at " + parsed.position(i) + " is " + recordBytes
                        + " bytes as a Kafka record, over the limit of " + limits.maxEventBytes() + " bytes: it can never be written");
            }
        }
        Set<String> meshes = new TreeSet<>();
        events.forEach(e -> meshes.add(e.getMesh()));
        if (tokens.check(authorization, meshes) != Tokens.Verdict.ALLOWED) {
            return error(Response.Status.FORBIDDEN, "this token may not write every mesh of the request " + meshes);
        }
        if (open.census().isPresent()) {
            MeshCensus census = open.census().get();
            if (!census.caughtUp()) {
                return error(Response.Status.SERVICE_UNAVAILABLE, "counting the meshes' dataplanes for "
                        + "vigil.ingest.limits.max-dataplanes-per-mesh; retry shortly");
            }
            String refusal = census.refusal(events);
            if (refusal != null) {
                return error(Response.Status.FORBIDDEN, refusal);
            }
        }
        long timeoutMillis = limits.requestTimeout().toMillis();
        try {
            // One deadline for the whole request: the events are sent together and acknowledged together.
            log.append(events).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            String why = e instanceof ExecutionException ? e.getCause().getMessage() : "no answer in " + timeoutMillis + " ms";
            return error(Response.Status.SERVICE_UNAVAILABLE, "Kafka did not acknowledge the events (" + why
                    + "); some may be written: retry with the same event ids, which are applied once");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(Response.Status.SERVICE_UNAVAILABLE, "interrupted while waiting for Kafka");
        }
        metrics.written(events.size());
        return Response.status(Response.Status.ACCEPTED).entity(Map.of("accepted", events.size())).build();
    }

    /** {@code 400} with the first {@value #MAX_PROBLEMS_LISTED} problems and how many more there were. */
    private static Response invalid(List<Problem> problems) {
        int listed = Math.min(problems.size(), MAX_PROBLEMS_LISTED);
        String summary = problems.size() + " problem(s)" + (listed < problems.size() ? ", the first " + listed + " listed" : "")
                + "; nothing was written";
        Map<String, Object> entity = problem(400, summary);
        entity.put("problems", problems.subList(0, listed).stream().map(EventsResource::problem).toList());
        if (listed < problems.size()) {
            entity.put("moreProblems", problems.size() - listed);
        }
        return Response.status(Response.Status.BAD_REQUEST).entity(entity).build();
    }

    /** The event's size as a record of the event log: its key, its value and the record's own framing. */
    private static int recordBytes(DataplaneEvent event) {
        return KeyFormat.of(event.getMesh(), event.getDataplane()).getBytes(StandardCharsets.UTF_8).length
                + Topics.DATAPLANE_EVENTS.serialize(event).length + RECORD_OVERHEAD;
    }

    private static String baseType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).entity(problem(status.getStatusCode(), message)).build();
    }

    private static Map<String, Object> problem(int status, String message) {
        Map<String, Object> entity = new LinkedHashMap<>();
        entity.put("status", status);
        entity.put("error", message);
        return entity;
    }

    private static Map<String, Object> problem(Problem problem) {
        Map<String, Object> entity = new LinkedHashMap<>();
        if (problem.line() > 0) {
            entity.put("line", problem.line());
        }
        entity.put("path", problem.path());
        entity.put("message", problem.message());
        return entity;
    }
}
