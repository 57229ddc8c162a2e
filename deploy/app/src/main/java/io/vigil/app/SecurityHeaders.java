package io.vigil.app;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The security headers of every HTTP answer (the API, the web page and its files, {@code /q/*}),
 * set by one Vert.x filter ahead of every route. The content security policy is the web page's:
 * scripts, styles and requests only from this server, nothing inline, no plugins, no framing, and
 * forms submit nowhere (the page's forms are handled by its script). On the API's JSON it costs
 * nothing and keeps a browser from running anything found in it. Stateless.
 */
@ApplicationScoped
public class SecurityHeaders {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** Quarkus runs filters of higher priority first: this one before the Host check, so that a refusal carries the headers too. */
    static final int PRIORITY = HostCheck.PRIORITY + 10;

    void register(@Observes Filters filters) {
        filters.register(context -> {
            MultiMap headers = context.response().headers();
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            headers.set("X-Content-Type-Options", "nosniff");
            // For browsers older than frame-ancestors.
            headers.set("X-Frame-Options", "DENY");
            headers.set("Referrer-Policy", "no-referrer");
            context.next();
        }, PRIORITY);
    }
}
