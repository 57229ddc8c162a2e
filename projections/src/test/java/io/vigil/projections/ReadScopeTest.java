package io.vigil.projections;

import static io.vigil.projections.TestChanges.proxy;
import static io.vigil.projections.TestChanges.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.avro.HealthStatus;
import io.vigil.avro.ProxyChange;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A mesh-scoped reader sees its meshes only: in the views' lists and in every live change, whatever its filters. */
class ReadScopeTest {

    private static final ReadScope PAYMENTS = ReadScope.of(Set.of("payments", "shop"));

    @Test
    void theViewsListOnlyTheScopesMeshesInOrderAndNotMeshesThatMerelyShareAPrefix() {
        HealthViews views = new HealthViews();
        for (String mesh : new String[] {"default", "payments", "payments-eu", "shop", "zeta"}) {
            views.apply(TestChanges.proxyChange(mesh, "dp", HealthStatus.ONLINE, 1, "web"));
            views.apply(TestChanges.serviceChange(mesh, "web", HealthStatus.ONLINE, 1));
        }

        assertThat(views.dataplanes(null, PAYMENTS)).extracting(e -> e.getKey()[0]).containsExactly("payments", "shop");
        assertThat(views.services(null, PAYMENTS)).extracting(e -> e.getKey()[0]).containsExactly("payments", "shop");
        assertThat(views.dataplanes("default", PAYMENTS)).isEmpty();
        assertThat(views.dataplanes("shop", PAYMENTS)).hasSize(1);
        assertThat(views.dataplanes(null, ReadScope.EVERY_MESH)).hasSize(5);
        assertThat(views.dataplanes(null, ReadScope.NOTHING)).isEmpty();
    }

    @Test
    void aScopedStreamPassesNoChangeOfAnotherMeshWhateverItsFilters() {
        HealthChange other = proxy(0, 0, "default", "dp", 1);
        HealthChange otherService = service(0, 1, "default", "web", 1);
        HealthChange otherTombstone = tombstone("default", "gone");
        HealthChange own = proxy(0, 2, "payments", "dp", 1);

        for (ChangeFilter filter : new ChangeFilter[] {
            ChangeFilter.of(null, null, null, null, PAYMENTS),
            ChangeFilter.of(null, "proxy,service", "web", null, PAYMENTS),
            ChangeFilter.of(null, null, null, "gone", PAYMENTS)}) {
            assertThat(filter.test(other)).as(filter.toString()).isFalse();
            assertThat(filter.test(otherService)).as(filter.toString()).isFalse();
            assertThat(filter.test(otherTombstone)).as("a tombstone passes the service filter, never the scope").isFalse();
        }
        assertThat(ChangeFilter.of(null, null, null, null, PAYMENTS).test(own)).isTrue();
        assertThat(ChangeFilter.of(null, null, "web", null, PAYMENTS).test(own)).isTrue();
        assertThat(ChangeFilter.of(null, null, null, null, ReadScope.NOTHING).test(own)).isFalse();
    }

    private static HealthChange tombstone(String mesh, String dataplane) {
        ProxyChange change = new ProxyChange(mesh, dataplane, null, HealthStatus.ONLINE, 2L,
                TestChanges.proxyChange(mesh, dataplane, HealthStatus.ONLINE, 1).getCause());
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(Topics.PROXY_HEALTH.name(), 0, 3,
                KeyFormat.of(mesh, dataplane).getBytes(StandardCharsets.UTF_8), Topics.PROXY_HEALTH.serialize(change));
        return new HealthChange.Decoder().decode(record);
    }
}
