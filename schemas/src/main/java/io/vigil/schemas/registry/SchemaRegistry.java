package io.vigil.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.SchemaHistory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A schema registry's Confluent-compatible REST API (Confluent Schema Registry at its root,
 * Apicurio Registry 3 under {@code /apis/ccompat/v7}): registers the schemas vigil writes and
 * looks up the ones a value names by id.
 *
 * <p>The URL may carry {@code user:password@} for HTTP basic authentication; it is sent as a header
 * and never appears in {@link #toString()} or in any message. Thread-safe: the schemas registered
 * and looked up are cached (ids are immutable in a registry), and concurrent lookups of one new id
 * may both ask.
 */
public final class SchemaRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final URI base;
    private final Optional<String> authorization;
    private final HttpClient http;
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<Integer, Long> fingerprintById = new ConcurrentHashMap<>();

    private SchemaRegistry(URI base, Optional<String> authorization) {
        this.base = base;
        this.authorization = authorization;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /**
     * The registry whose Confluent-compatible API is at {@code url}, e.g.
     * {@code http://registry:8080/apis/ccompat/v7} for Apicurio.
     *
     * @throws IllegalArgumentException when {@code url} is not an http(s) URL (the message leaves out any credentials)
     */
    public static SchemaRegistry at(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the schema registry URL is not a URL (" + e.getReason() + ")");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("the schema registry URL must be http://HOST[:PORT][/PATH] or https://..., got "
                    + redacted(uri));
        }
        Optional<String> authorization = Optional.ofNullable(uri.getRawUserInfo()).map(info ->
                "Basic " + Base64.getEncoder().encodeToString(URLDecoder.decode(info, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)));
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        return new SchemaRegistry(URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path),
                authorization);
    }

    private static String redacted(URI uri) {
        return uri.getRawUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "***@");
    }

    /**
     * Sets {@code subject}'s compatibility to BACKWARD (each version reads the records of the one
     * before) and registers {@code schema} under it; registering the same schema again is a no-op
     * that returns the same id.
     *
     * @return the id the registry writes in the header of the records with this schema
     * @throws SchemaRegistryException when the registry is unreachable or refuses, e.g. a schema
     *     incompatible with the subject's latest version (the message names the subject and gives the registry's)
     */
    public int register(String subject, Schema schema) {
        call("PUT", "/config/" + subject, Map.of("compatibility", "BACKWARD"), "set the compatibility of subject " + subject);
        JsonNode answer = call("POST", "/subjects/" + subject + "/versions", Map.of("schema", schema.toString()), "register the schema of subject " + subject);
        if (!answer.path("id").canConvertToInt()) {
            throw new SchemaRegistryException("schema registry " + this + " answered the registration of subject " + subject
                    + " without an id: " + answer);
        }
        int id = answer.get("id").intValue();
        // A process reads back what it wrote: its own schemas need no lookup, even while the registry is away.
        byId.putIfAbsent(id, schema);
        return id;
    }

    /**
     * The schema registered with {@code id}.
     *
     * @throws SchemaRegistryException when the registry is unreachable or has no such schema
     */
    public Schema schema(int id) {
        Schema known = byId.get(id);
        if (known != null) {
            return known;
        }
        JsonNode answer = call("GET", "/schemas/ids/" + id, null, "look up schema id " + id);
        Schema schema = new Schema.Parser().parse(answer.path("schema").asText());
        byId.put(id, schema);
        return schema;
    }

    /**
     * The CRC-64-AVRO fingerprint of the schema registered with {@code id}, the one its
     * single-object header names; cached, as a reader asks for every value.
     *
     * @throws SchemaRegistryException as {@link #schema}
     */
    public long fingerprint(int id) {
        Long known = fingerprintById.get(id);
        if (known != null) {
            return known;
        }
        long fingerprint = SchemaHistory.fingerprint(schema(id));
        fingerprintById.put(id, fingerprint);
        return fingerprint;
    }

    private JsonNode call(String method, String path, Map<String, String> body, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Accept", CONTENT_TYPE);
        authorization.ifPresent(value -> request.header("Authorization", value));
        try {
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new SchemaRegistryException("schema registry " + this + " refused to " + what + ": HTTP " + response.statusCode()
                        + " " + message(response.body()));
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistryException("cannot " + what + ": schema registry " + this + " is unreachable (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while trying to " + what + " at schema registry " + this, e);
        }
    }

    /** The registry's own explanation: {@code message} of its error body, else the body as it came. */
    private static String message(String body) {
        try {
            JsonNode error = JSON.readTree(body);
            if (error != null && error.hasNonNull("message")) {
                return error.get("message").asText();
            }
        } catch (IOException e) {
            // Not JSON (a proxy's error page): the body itself says more than the parse failure.
        }
        return body;
    }

    /** The API's URL without credentials. */
    @Override
    public String toString() {
        return base.toString();
    }
}
