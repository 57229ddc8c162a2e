package io.vigil.aggregator.runtime;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vigil.aggregator.core.Source;
import io.vigil.schemas.kafka.RecordTracing;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * A stage's part of the traces its input records carry. Each traced input record is processed in
 * a span of its own ({@code process <input topic>}), a child of the record's context, and every
 * record the stage writes meanwhile carries that span's context. A change written later in the
 * batch, when the stage ends it (stage 2's service changes), carries the span of the record that
 * {@linkplain Outputs#continues continued} its cause. Untraced records cost a header lookup;
 * with tracing off, nothing.
 *
 * <p>Threading: the stage's loop thread only, like the rest of the runner's loop state.
 */
final class StageTracing {

    private final RecordTracing tracing;
    private final String group;
    /** The spans of this batch's traced records, by the cause they continue. */
    private final Map<Source, Context> continued = new HashMap<>();

    StageTracing(RecordTracing tracing, String group) {
        this.tracing = tracing;
        this.group = group;
    }

    /** Opens the span of {@code record} and makes it current until the returned scope closes, which ends it. */
    Scope process(ConsumerRecord<byte[], byte[]> record) {
        return tracing.processing(record, group);
    }

    /** Marks the current record's span as failed: the record went to the dead-letter topic. */
    void deadLettered(String reason) {
        if (tracing.on()) {
            Span.current().setStatus(StatusCode.ERROR, reason);
        }
    }

    /** Remembers the current record's span for what {@code cause} causes when the batch ends. */
    void continues(Source cause) {
        if (tracing.on() && cause != null && Span.current().getSpanContext().isValid()) {
            continued.put(cause, Context.current());
        }
    }

    /**
     * Makes the span that continued {@code cause} current until the returned scope closes, unless
     * a record's span is current already (its outputs belong to it).
     */
    Scope resume(Source cause) {
        if (!tracing.on() || cause == null || Span.current().getSpanContext().isValid()) {
            return Scope.noop();
        }
        Context context = continued.get(cause);
        return context == null ? Scope.noop() : context.makeCurrent();
    }

    /** Writes the current span's context into an output record's headers. */
    void inject(Headers headers) {
        if (tracing.on()) {
            tracing.inject(Context.current(), headers);
        }
    }

    /** Forgets the batch's spans: it committed or was aborted. */
    void endBatch() {
        continued.clear();
    }
}
