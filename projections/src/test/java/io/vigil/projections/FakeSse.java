package io.vigil.projections;

import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import java.lang.reflect.Type;

/** An {@link Sse} whose events are plain values, so a test can read what a client was sent. */
final class FakeSse implements Sse {

    /** One server-sent event as built: a comment, or an id, a name and data. */
    record Event(String id, String name, String data, String comment) implements OutboundSseEvent {

        boolean isComment() {
            return comment != null;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getComment() {
            return comment;
        }

        @Override
        public long getReconnectDelay() {
            return RECONNECT_NOT_SET;
        }

        @Override
        public boolean isReconnectDelaySet() {
            return false;
        }

        @Override
        public Class<?> getType() {
            return String.class;
        }

        @Override
        public Type getGenericType() {
            return String.class;
        }

        @Override
        public MediaType getMediaType() {
            return MediaType.TEXT_PLAIN_TYPE;
        }

        @Override
        public Object getData() {
            return data;
        }

        @Override
        public String toString() {
            return comment != null ? ": " + comment : "event: " + name + " id: " + id + " data: " + data;
        }
    }

    @Override
    public OutboundSseEvent.Builder newEventBuilder() {
        return new Builder();
    }

    @Override
    public SseBroadcaster newBroadcaster() {
        throw new UnsupportedOperationException("not used by the live stream");
    }

    private static final class Builder implements OutboundSseEvent.Builder {

        private String id;
        private String name;
        private String comment;
        private Object data;

        @Override
        public OutboundSseEvent.Builder id(String id) {
            this.id = id;
            return this;
        }

        @Override
        public OutboundSseEvent.Builder name(String name) {
            this.name = name;
            return this;
        }

        @Override
        public OutboundSseEvent.Builder reconnectDelay(long milliseconds) {
            throw new UnsupportedOperationException("not used by the live stream");
        }

        @Override
        public OutboundSseEvent.Builder mediaType(MediaType mediaType) {
            throw new UnsupportedOperationException("not used by the live stream");
        }

        @Override
        public OutboundSseEvent.Builder comment(String comment) {
            this.comment = comment;
            return this;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public OutboundSseEvent.Builder data(Class type, Object data) {
            this.data = data;
            return this;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public OutboundSseEvent.Builder data(GenericType type, Object data) {
            this.data = data;
            return this;
        }

        @Override
        public OutboundSseEvent.Builder data(Object data) {
            this.data = data;
            return this;
        }

        @Override
        public OutboundSseEvent build() {
            return new Event(id, name, data == null ? null : data.toString(), comment);
        }
    }
}
