package io.vigil.aggregator.records;

import io.vigil.aggregator.core.Cause;
import io.vigil.aggregator.core.HealthChange;
import io.vigil.aggregator.core.InboundChange;
import io.vigil.aggregator.core.ProxyChange;
import io.vigil.aggregator.core.Source;
import io.vigil.schemas.KeyFormat;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "1.0";
    public static final String INBOUND_TYPE = "io.vigil.inbound.changed";
    public static final String PROXY_TYPE = "io.vigil.proxy.changed";
    public static final String SERVICE_TYPE = "io.vigil.service.changed";
    /** Avro single-object encoding, as every value on vigil's topics (schemas/README.md). */
    public static final String CONTENT_TYPE = "application/avro";

    private CloudEventHeaders() {
    }

    public static Headers of(HealthChange change) {
        String key = change.entityKey();
        Cause cause = change.cause();
        RecordHeaders headers = new RecordHeaders();
        add(headers, "ce_specversion", SPEC_VERSION);
        add(headers, "ce_id", key + "@" + change.version() + ":" + position(cause.source()));
        add(headers, "ce_source", "/vigil/meshes/" + URLEncoder.encode(KeyFormat.mesh(key), StandardCharsets.UTF_8).replace("+", "%20"));
        add(headers, "ce_type", type(change));
        if (cause.eventTime() != null) {
            add(headers, "ce_time", cause.eventTime().toString());
        }
        add(headers, "ce_subject", KeyFormat.name(key));
        add(headers, "content-type", CONTENT_TYPE);
        return headers;
    }

    private static String type(HealthChange change) {
        if (change instanceof InboundChange) {
            return INBOUND_TYPE;
        }
        return change instanceof ProxyChange ? PROXY_TYPE : SERVICE_TYPE;
    }

    /** Where the causing event was read; a change the rules made outside Kafka (a replay) has none. */
    private static String position(Source source) {
        return source == null ? "-" : source.topic() + "-" + source.partition() + "-" + source.offset();
    }

    private static void add(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
