package io.vigil.app;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * With {@code vigil.http.allowed-hosts}, answers only requests whose Host names an allowed host;
 * others get {@code 421} and a body that says why, before any route runs. A page of another site
 * whose name was re-pointed at this address (DNS rebinding) sends its own name and is refused.
 * Without the setting (the default) every host is answered: the server listens on loopback unless
 * configured otherwise. Immutable after start.
 */
@ApplicationScoped
public class HostCheck {

    static final int PRIORITY = 2_000;

    private final HostAllowList allowed;

    HostCheck(VigilConfig config) {
        this.allowed = config.http().allowedHosts().map(HostAllowList::of).orElse(null);
    }

    void register(@Observes Filters filters) {
        if (allowed != null) {
            filters.register(this::check, PRIORITY);
        }
    }

    private void check(RoutingContext context) {
        HostAndPort authority = context.request().authority();
        if (authority == null) {
            refuse(context, 400, "the request names no host (Host header)");
        } else if (!allowed.allows(authority.host())) {
            refuse(context, 421, "this server does not answer for host '" + authority.host()
                    + "'; vigil.http.allowed-hosts lists the hosts it answers for");
        } else {
            context.next();
        }
    }

    private static void refuse(RoutingContext context, int status, String message) {
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("status", status).put("error", message).encode());
    }
}
