package io.vigil.aggregator.records;

import io.vigil.aggregator.core.Cause;
import io.vigil.aggregator.core.HealthChange;
import io.vigil.aggregator.core.InboundChange;
import io.vigil.aggregator.core.ProxyChange;
import io.vigil.aggregator.core.Source;
import io.vigil.schemas.KeyFormat;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The CloudEvents 1.0 Kafka protocol binding, binary mode, of a change record: the record's value
 * stays the Avro change, its headers carry the event's attributes, so CloudEvents tooling routes
 * and deduplicates vigil's changes without decoding them. Stateless and thread-safe.
 *
 * <ul>
 *   <li>{@code ce_type}: {@value #INBOUND_TYPE}, {@value #PROXY_TYPE} or {@value #SERVICE_TYPE}, one per
 *       change topic; a removal is a change of the same type whose state is null.</li>
 *   <li>{@code ce_source}: {@code /vigil/meshes/<mesh>} (percent-encoded); {@code ce_subject}: the
 *       entity within its mesh ({@code dataplane/port}, {@code dataplane} or {@code service}).</li>
 *   <li>{@code ce_id}: {@code <entity key>@<version>:<topic>-<partition>-<offset>} of the event that
 *       caused it, unique per change and the same when a failed transaction is redone, so
 *       consumers can deduplicate on it.</li>
 *   <li>{@code ce_time}: the causing event's time (RFC 3339); {@code content-type}: {@value #CONTENT_TYPE}.</li>
 * </ul>
 *
 * <p>The constant values are encoded once and shared by every record: Kafka only reads a header's bytes.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "1.0";
    public static final String INBOUND_TYPE = "io.vigil.inbound.changed";
    public static final String PROXY_TYPE = "io.vigil.proxy.changed";
    public static final String SERVICE_TYPE = "io.vigil.service.changed";
    /** Avro single-object encoding, as every value on vigil's topics (schemas/README.md). */
    public static final String CONTENT_TYPE = "application/avro";

    /** Meshes whose {@code ce_source} is kept; beyond that many it is built per record. */
    private static final int SOURCES_KEPT = 1_024;
    private static final byte[] SPEC_VERSION_BYTES = utf8(SPEC_VERSION);
    private static final byte[] INBOUND_TYPE_BYTES = utf8(INBOUND_TYPE);
    private static final byte[] PROXY_TYPE_BYTES = utf8(PROXY_TYPE);
    private static final byte[] SERVICE_TYPE_BYTES = utf8(SERVICE_TYPE);
    private static final byte[] CONTENT_TYPE_BYTES = utf8(CONTENT_TYPE);
    /** A mesh's {@code ce_source}: a handful of meshes, each percent-encoded once rather than per change. */
    private static final Map<String, byte[]> SOURCES = new ConcurrentHashMap<>();

    private CloudEventHeaders() {
    }

    public static Headers of(HealthChange change) {
        String key = change.entityKey();
        Cause cause = change.cause();
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", SPEC_VERSION_BYTES);
        headers.add("ce_id", utf8(key + "@" + change.version() + ":" + position(cause.source())));
        headers.add("ce_source", source(KeyFormat.mesh(key)));
        headers.add("ce_type", type(change));
        if (cause.eventTime() != null) {
            headers.add("ce_time", InstantText.ascii(cause.eventTime()));
        }
        headers.add("ce_subject", utf8(KeyFormat.name(key)));
        headers.add("content-type", CONTENT_TYPE_BYTES);
        return headers;
    }

    private static byte[] type(HealthChange change) {
        if (change instanceof InboundChange) {
            return INBOUND_TYPE_BYTES;
        }
        return change instanceof ProxyChange ? PROXY_TYPE_BYTES : SERVICE_TYPE_BYTES;
    }

    private static byte[] source(String mesh) {
        byte[] source = SOURCES.get(mesh);
        if (source == null) {
            source = utf8("/vigil/meshes/" + URLEncoder.encode(mesh, StandardCharsets.UTF_8).replace("+", "%20"));
            if (SOURCES.size() < SOURCES_KEPT) {
                SOURCES.put(mesh, source);
            }
        }
        return source;
    }

    /** Where the causing event was read; a change the rules made outside Kafka (a replay) has none. */
    private static String position(Source source) {
        return source == null ? "-" : source.topic() + "-" + source.partition() + "-" + source.offset();
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
