package io.vigil.projections;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.avro.InboundChange;
import io.vigil.avro.InboundState;
import io.vigil.avro.ProxyChange;
import io.vigil.avro.ProxyState;
import io.vigil.avro.ServiceChange;
import io.vigil.avro.ServiceState;
import io.vigil.schemas.HealthJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a live stream opened with {@code ?initial=true} sends before its live changes: the current
 * state of every entity its {@link ChangeFilter} passes (inbounds, then proxies, then services, each
 * sorted by key), and the position of the change topics that state is at, which its
 * {@code bookmark} event carries. Taken under the {@link ChangeBroadcast}'s monitor, so the
 * entities are exactly what the changes up to that position made them (see
 * {@link ChangeBroadcast#attachWithInitialState}).
 *
 * <p>Immutable; an entity's JSON is written when it is sent, by the sending thread, from the state
 * objects the views shared (which are never changed).
 */
final class InitialState {

    /** One entity's state in the shape of a change ({@link HealthJson#writeInitialState}), and its level, the SSE event name. */
    record Entity(HealthChange.Level level, Object change) {

        private static final JsonFactory JSON = new JsonFactory();

        String json() {
            StringWriter out = new StringWriter(512);
            try (JsonGenerator g = JSON.createGenerator(out)) {
                if (change instanceof InboundChange inbound) {
                    HealthJson.writeInitialState(g, inbound);
                } else if (change instanceof ProxyChange proxy) {
                    HealthJson.writeInitialState(g, proxy);
                } else {
                    HealthJson.writeInitialState(g, (ServiceChange) change);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString();
        }
    }

    private final List<Entity> entities;
    private final ChangeCursor position;

    private InitialState(List<Entity> entities, ChangeCursor position) {
        this.entities = List.copyOf(entities);
        this.position = position;
    }

    /**
     * The entities of {@code views} that {@code filter} passes, at {@code position}. Caller holds
     * the broadcast's monitor; costs a walk of the filter's meshes, no JSON.
     */
    static InitialState take(HealthViews views, ChangeFilter filter, ChangeCursor position) {
        List<Entity> entities = new ArrayList<>();
        for (Map.Entry<HealthViews.InboundKey, HealthViews.Versioned<InboundState>> inbound : views.inbounds(filter.mesh(), filter.scope())) {
            HealthViews.InboundKey key = inbound.getKey();
            InboundState state = inbound.getValue().state();
            if (filter.test(HealthChange.Level.INBOUND, key.mesh(), key.dataplane(), List.of(state.getService()), false)) {
                entities.add(new Entity(HealthChange.Level.INBOUND,
                        new InboundChange(key.mesh(), key.dataplane(), key.port(), state, null, inbound.getValue().version(), null)));
            }
        }
        for (Map.Entry<String[], HealthViews.Versioned<ProxyState>> proxy : views.dataplanes(filter.mesh(), filter.scope())) {
            String[] key = proxy.getKey();
            ProxyState state = proxy.getValue().state();
            if (filter.test(HealthChange.Level.PROXY, key[0], key[1], state.getServices(), false)) {
                entities.add(new Entity(HealthChange.Level.PROXY,
                        new ProxyChange(key[0], key[1], state, null, proxy.getValue().version(), null)));
            }
        }
        for (Map.Entry<String[], HealthViews.Versioned<ServiceState>> service : views.services(filter.mesh(), filter.scope())) {
            String[] key = service.getKey();
            if (filter.test(HealthChange.Level.SERVICE, key[0], null, List.of(key[1]), false)) {
                entities.add(new Entity(HealthChange.Level.SERVICE,
                        new ServiceChange(key[0], key[1], service.getValue().state(), null, service.getValue().version(), null)));
            }
        }
        return new InitialState(entities, position);
    }

    List<Entity> entities() {
        return entities;
    }

    /** A copy of the position the state is at (its own copy, taken with it): the live changes after it follow the state. */
    ChangeCursor position() {
        return position.copy();
    }
}
