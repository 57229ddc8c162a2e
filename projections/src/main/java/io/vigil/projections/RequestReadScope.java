package io.vigil.projections;

import jakarta.enterprise.context.RequestScoped;

/**
 * The {@link ReadScope} of the request being served. The read API's authentication filter sets it
 * before a {@link ReadApi} resource runs; until then it is {@link ReadScope#NOTHING}, so a read
 * path that no filter looked at shows nothing rather than everything.
 *
 * <p>Request-scoped: one instance per request, used by the threads that serve it one after another.
 */
@RequestScoped
public class RequestReadScope {

    private ReadScope scope = ReadScope.NOTHING;

    public ReadScope get() {
        return scope;
    }

    public void set(ReadScope scope) {
        this.scope = scope;
    }
}
