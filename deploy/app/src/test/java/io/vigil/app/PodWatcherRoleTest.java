package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.vigil.aggregator.runtime.ChangeTopicReader;
import io.vigil.avro.DataplaneDeleted;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.PodReadiness;
import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import io.vigil.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code vigil serve --roles k8s-watcher} against fabric8's Kubernetes API mock (CRUD mode): the role
 * becomes ready once its informer has synced, and a Kuma pod's facts reach the event log.
 */
@QuarkusTest
@TestProfile(PodWatcherRoleTest.WatcherOnly.class)
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
class PodWatcherRoleTest {

    /** Only the pod watcher, on one namespace. */
    public static final class WatcherOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vigil.roles", "k8s-watcher", "vigil.k8s-watcher.namespaces", "shop");
        }
    }

    private static final String MESH = "k8s-role-test";

    @KubernetesTestServer
    KubernetesServer kubernetes;

    @Test
    void aKumaPodsReadinessAndDeletionReachTheEventLog() {
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        given().get("/q/health/ready").then().body("checks.name", hasItem("k8s-watcher"));

        Pod pod = kubernetes.getClient().pods().inNamespace("shop").resource(new PodBuilder()
                .withNewMetadata().withName("web-1").addToAnnotations("kuma.io/mesh", MESH).endMetadata()
                .withNewSpec()
                .addNewContainer().withName("app").addNewPort().withContainerPort(8080).endPort().endContainer()
                .addNewContainer().withName("kuma-sidecar").endContainer()
                .endSpec()
                .withNewStatus().withPhase("Running").withPodIP("127.0.0.20")
                .addNewContainerStatus().withName("app").withReady(true).endContainerStatus()
                .addNewContainerStatus().withName("kuma-sidecar").withReady(true).endContainerStatus()
                .endStatus().build()).create();
        kubernetes.getClient().pods().inNamespace("shop").resource(pod).delete();

        List<DataplaneEvent> events = await().atMost(Duration.ofSeconds(30)).until(this::eventsOfThisMesh, e -> e.size() >= 2);

        assertThat(events).extracting(DataplaneEvent::getDataplane).containsOnly("web-1.shop");
        assertThat(events.get(0).getPayload()).isInstanceOfSatisfying(PodReadiness.class, r -> assertThat(r.getSidecarReady()).isTrue());
        assertThat(events.get(1).getPayload()).isInstanceOf(DataplaneDeleted.class);
    }

    private List<DataplaneEvent> eventsOfThisMesh() {
        return ChangeTopicReader.decodableEvents(EmbeddedKafkaExtension.bootstrapServers()).stream()
                .filter(e -> e.getMesh().equals(MESH)).toList();
    }
}
