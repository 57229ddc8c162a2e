package io.vigil.schemas.kafka;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Traces across vigil's Kafka records. A trace context travels in each record's headers (W3C
 * {@code traceparent} and {@code tracestate}, or whatever propagators the OpenTelemetry instance
 * has), so that a POST, the event-log record it wrote, the stages' processing and the change
 * records they wrote make one trace. vigil continues the traces that records carry and starts none
 * from a record without one, so the prober's results and the pod watcher's facts, which no request
 * caused, add nothing. Span names and attributes follow OpenTelemetry's messaging conventions.
 *
 * <p>{@link #OFF}, for a process where tracing is not configured, reads no header, starts no span
 * and allocates nothing. Thread-safe, as the OpenTelemetry API is.
 */
public final class RecordTracing {

    /** Tracing not configured: every span is {@link Span#getInvalid()}, nothing is read or written. */
    public static final RecordTracing OFF = new RecordTracing(null, null);

    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    private RecordTracing(Tracer tracer, TextMapPropagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** Tracing through {@code openTelemetry}'s tracer and propagators, spans named by {@code scope}'s instrumentation. */
    public static RecordTracing of(OpenTelemetry openTelemetry, String scope) {
        return new RecordTracing(openTelemetry.getTracer(scope), openTelemetry.getPropagators().getTextMapPropagator());
    }

    /** Whether tracing is configured at all; when false every method here does nothing. */
    public boolean on() {
        return tracer != null;
    }

    /**
     * Processes {@code record} in a span of its own, a child of the context its headers carry: the
     * span is current until the returned scope closes, which ends it. A no-op scope when tracing is
     * off or the record carries no trace. {@code consumerGroup} is null for a reader outside any group.
     */
    public Scope processing(ConsumerRecord<?, ?> record, String consumerGroup) {
        if (tracer == null) {
            return Scope.noop();
        }
        Context parent = propagator.extract(Context.root(), record.headers(), HeaderAccess.INSTANCE);
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return Scope.noop();
        }
        SpanBuilder builder = tracer.spanBuilder("process " + record.topic())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(OPERATION, "process")
                .setAttribute(DESTINATION, record.topic())
                .setAttribute(PARTITION, Integer.toString(record.partition()))
                .setAttribute(OFFSET, record.offset());
        if (consumerGroup != null) {
            builder.setAttribute(GROUP, consumerGroup);
        }
        Span span = builder.startSpan();
        Scope current = span.makeCurrent();
        return () -> {
            current.close();
            span.end();
        };
    }

    /**
     * Starts the span that sends one record to {@code topic}, a child of {@code parent}; the caller
     * ends it once Kafka has the record. Invalid when tracing is off or {@code parent} is in no trace.
     */
    public Span send(Context parent, String topic) {
        if (tracer == null || !Span.fromContext(parent).getSpanContext().isValid()) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder("send " + topic)
                .setParent(parent)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(OPERATION, "send")
                .setAttribute(DESTINATION, topic)
                .startSpan();
    }

    /** Writes {@code context}'s trace into {@code headers}, replacing any there; nothing when it is in no trace. */
    public void inject(Context context, Headers headers) {
        if (tracer != null && Span.fromContext(context).getSpanContext().isValid()) {
            propagator.inject(context, headers, HeaderAccess.INSTANCE);
        }
    }

    /** Kafka headers as the propagators' carrier: text values in UTF-8, the last header of a name wins. */
    private enum HeaderAccess implements TextMapGetter<Headers>, TextMapSetter<Headers> {
        INSTANCE;

        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            for (Header header : headers) {
                keys.add(header.key());
            }
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            if (headers == null) {
                return null;
            }
            Header header = headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }

        @Override
        public void set(Headers headers, String key, String value) {
            headers.remove(key).add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
