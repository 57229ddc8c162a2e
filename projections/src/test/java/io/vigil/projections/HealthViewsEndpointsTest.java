package io.vigil.projections;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.avro.Endpoint;
import io.vigil.avro.HealthStatus;
import io.vigil.avro.ServiceCounts;
import io.vigil.avro.ServiceEndpoints;
import io.vigil.avro.ServiceState;
import io.vigil.schemas.KeyFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A service's endpoints as the views assemble them from the parts of {@code vigil.service-endpoints}. */
class HealthViewsEndpointsTest {

    private static final ServiceState COUNTED = new ServiceState(HealthStatus.ONLINE, new ServiceCounts(3, 3, 0, 0), List.of(), 5, null);

    private final HealthViews views = new HealthViews();

    HealthViewsEndpointsTest() {
        part("m", "web", "b", 8080, 8081);
        part("m", "web", "a", 8080);
        part("m", "web", "c", 8080, 9090);
        // Services and meshes that sort right beside m/web, whose parts must never show up in it.
        part("m", "we", "a", 1);
        part("m", "web-2", "a", 2);
        part("m", "web/x", "a", 3);
        part("m0", "web", "a", 4);
        part("l", "web", "z", 5);
    }

    @Test
    void aServiceIsItsPartsByDataplaneThenPort() {
        assertThat(names(views.endpoints("m", "web", COUNTED))).containsExactly("a:8080", "b:8080", "b:8081", "c:8080", "c:9090");
    }

    @Test
    void aTombstoneRemovesAMembersPartAndALaterPartReplacesIt() {
        views.applyEndpoints(KeyFormat.serviceEndpoints("m", "web", "b"), null);
        part("m", "web", "c", 7070);

        assertThat(names(views.endpoints("m", "web", COUNTED))).containsExactly("a:8080", "c:7070");
    }

    @Test
    void pagesResumeAfterTheirCursorEvenInsideOneMembersEndpoints() {
        for (int size = 1; size <= 6; size++) {
            List<String> all = new ArrayList<>();
            HealthViews.EndpointCursor next = null;
            int pages = 0;
            do {
                HealthViews.EndpointPage page = views.endpointPage("m", "web", COUNTED, next, size);
                assertThat(page.endpoints().size()).isLessThanOrEqualTo(size);
                all.addAll(names(page.endpoints()));
                next = page.next();
                pages++;
            } while (next != null);
            assertThat(all).as("size " + size).containsExactly("a:8080", "b:8080", "b:8081", "c:8080", "c:9090");
            assertThat(pages).as("size " + size).isEqualTo((5 + size - 1) / size);
        }
    }

    @Test
    void aChangeWrittenBeforeThePartsCarriesItsEndpointsInline() {
        ServiceState v1 = new ServiceState(HealthStatus.ONLINE, new ServiceCounts(1, 1, 0, 0),
                List.of(new Endpoint("z", "127.0.0.1", 1234)), -1, null);

        assertThat(names(views.endpoints("m", "web", v1))).containsExactly("z:1234");
        assertThat(names(views.endpointPage("m", "web", v1, null, 10).endpoints())).containsExactly("z:1234");
    }

    private void part(String mesh, String service, String dataplane, int... ports) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int port : ports) {
            endpoints.add(new Endpoint(dataplane, "127.0.0.1", port));
        }
        views.applyEndpoints(KeyFormat.serviceEndpoints(mesh, service, dataplane), new ServiceEndpoints(mesh, service, dataplane, endpoints, 1L));
    }

    private static List<String> names(Iterable<Endpoint> endpoints) {
        List<String> names = new ArrayList<>();
        endpoints.forEach(e -> names.add(e.getDataplane() + ":" + e.getPort()));
        return names;
    }
}
