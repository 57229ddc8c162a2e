package io.vigil.ingest.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vigil.avro.Container;
import io.vigil.avro.DataplaneDeleted;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.PodReadiness;
import io.vigil.ingest.DirectEventLog;
import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.TopicSettings;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pod watcher against fabric8's Kubernetes API mock in CRUD mode: pods are created, updated and
 * deleted through the API, and the facts are read back from the real event log topic.
 */
@EnableKubernetesMockClient(crud = true)
@ExtendWith(EmbeddedKafkaExtension.class)
class PodWatcherTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final PodReadiness ALL_READY = new PodReadiness(false, true, List.of(new Container("app", true, List.of(8080))));

    static KubernetesClient client;

    private String namespace;
    private PodWatcher watcher;
    private EventLogTail reader;

    @BeforeAll
    static void topics() {
        try (Admin admin = new KafkaClients(KafkaSettings.of(EmbeddedKafkaExtension.bootstrapServers())).admin(ClientOptions.named("pod-watcher-test"))) {
            new TopicProvisioner(admin, new TopicSettings(3, (short) 1, Duration.ofDays(1), Duration.ofHours(1)), Duration.ofSeconds(30))
                    .provision();
        }
    }

    @BeforeEach
    void watchAFreshNamespace() {
        namespace = "ns-" + UUID.randomUUID().toString().substring(0, 8);
        watcher = new PodWatcher(client, new PodWatcherSettings(List.of(namespace), Optional.empty(), Duration.ofMinutes(10)),
                new DirectEventLog(new KafkaClients(KafkaSettings.of(EmbeddedKafkaExtension.bootstrapServers()))), Clock.fixed(NOW, ZoneOffset.UTC)).start();
        // Every dataplane of this test's namespaces, so a fact about a pod that should be ignored shows.
        reader = new EventLogTail(EmbeddedKafkaExtension.bootstrapServers(), e -> e.getDataplane().contains("." + namespace));
        await().atMost(Duration.ofSeconds(30)).until(watcher::synced);
    }

    @AfterEach
    void stop() {
        watcher.close();
        reader.close();
    }

    private Pod create(Pod pod) {
        return client.pods().inNamespace(namespace).resource(pod).create();
    }

    private Pod update(Pod pod) {
        return client.pods().inNamespace(namespace).resource(pod).update();
    }

    /** Waits until the log holds exactly {@code count} events of this test's namespace, and returns them. */
    private List<EventLogTail.Logged> logged(int count) {
        return await().atMost(Duration.ofSeconds(30)).until(reader::poll, events -> events.size() >= count);
    }

    private List<Object> payloads(int count) {
        List<EventLogTail.Logged> events = logged(count);
        assertThat(events).hasSize(count);
        return events.stream().map(l -> l.event().getPayload()).toList();
    }

    @Test
    void sidecarNotReadyThenReady() {
        Pod pod = create(KumaPods.pod(namespace, "web-1", true, false).build());
        Pod ready = update(KumaPods.pod(namespace, "web-1", true, true).withMetadata(pod.getMetadata()).build());

        List<EventLogTail.Logged> events = logged(2);

        assertThat(events).extracting(EventLogTail.Logged::key).containsOnly("default/web-1." + namespace);
        assertThat(events.get(0).event().getPayload()).isEqualTo(new PodReadiness(false, false, ALL_READY.getContainers()));
        assertThat(events.get(1).event().getPayload()).isEqualTo(ALL_READY);
        assertThat(events.get(0).event().getTime()).isEqualTo(NOW);
        assertThat(events).extracting(l -> l.event().getId()).containsExactly(
                "k8s/" + pod.getMetadata().getUid() + "/" + pod.getMetadata().getResourceVersion(),
                "k8s/" + pod.getMetadata().getUid() + "/" + ready.getMetadata().getResourceVersion());
    }

    @Test
    void appContainerNotReady() {
        create(KumaPods.pod(namespace, "web-1", false, true).build());

        assertThat(payloads(1)).containsExactly(new PodReadiness(false, true, List.of(new Container("app", false, List.of(8080)))));
    }

    @Test
    void terminating() {
        // As on a real API server, a finalizer keeps the deleted pod, now with a deletion timestamp.
        Pod pod = create(KumaPods.pod(namespace, "web-1", true, true).editMetadata().addToFinalizers("vigil.test/hold").endMetadata().build());
        client.pods().inNamespace(namespace).resource(pod).delete();

        assertThat(payloads(2)).containsExactly(ALL_READY, new PodReadiness(true, true, ALL_READY.getContainers()));
    }

    @Test
    void nativeSidecar() {
        create(KumaPods.nativeSidecarPod(namespace, "web-1", true, false));

        assertThat(payloads(1)).containsExactly(new PodReadiness(false, false, ALL_READY.getContainers()));
    }

    @Test
    void podDeleted() {
        Pod pod = create(KumaPods.pod(namespace, "web-1", true, true).build());
        client.pods().inNamespace(namespace).resource(pod).delete();

        List<EventLogTail.Logged> events = logged(2);

        assertThat(events.get(1).event().getPayload()).isInstanceOf(DataplaneDeleted.class);
        assertThat(events.get(1).event().getId()).isEqualTo("k8s/" + pod.getMetadata().getUid() + "/deleted");
        assertThat(events.get(1).key()).isEqualTo("default/web-1." + namespace);
    }

    @Test
    void podInAnotherMesh() {
        create(KumaPods.pod(namespace, "pay-1", true, true).editMetadata().addToAnnotations("kuma.io/mesh", "payments").endMetadata().build());

        List<EventLogTail.Logged> events = logged(1);

        assertThat(events.get(0).key()).isEqualTo("payments/pay-1." + namespace);
        assertThat(events.get(0).event().getMesh()).isEqualTo("payments");
    }

    @Test
    void aSucceededPodIsDeletedOnceEvenWhenItIsRemovedLater() {
        Pod pod = create(KumaPods.pod(namespace, "job-1", true, true).build());
        pod = update(new PodBuilder(pod).editStatus().withPhase("Succeeded").endStatus().build());
        client.pods().inNamespace(namespace).resource(pod).delete();
        // A later fact about the same dataplane proves nothing was written in between.
        create(KumaPods.pod(namespace, "job-1", true, true).build());

        assertThat(payloads(3)).containsExactly(ALL_READY, new DataplaneDeleted(), ALL_READY);
    }

    @Test
    void updatesThatChangeNothingVigilReadsWriteNothing() {
        Pod pod = create(KumaPods.pod(namespace, "web-1", true, true).build());
        pod = update(new PodBuilder(pod).editMetadata().addToLabels("version", "2").endMetadata().build());
        update(new PodBuilder(pod).editStatus().editContainerStatus(0).withReady(false).endContainerStatus().endStatus().build());

        assertThat(payloads(2)).containsExactly(ALL_READY, new PodReadiness(false, true, List.of(new Container("app", false, List.of(8080)))));
    }

    @Test
    void podsWithoutTheSidecarAndPodsOfOtherNamespacesAreNotWatched() {
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName("db-0").endMetadata()
                .withNewSpec().addNewContainer().withName("db").endContainer().endSpec().build()).create();
        String other = namespace + "-other";
        client.pods().inNamespace(other).resource(KumaPods.pod(other, "web-9", true, true).build()).create();
        create(KumaPods.pod(namespace, "web-1", true, true).build());

        List<EventLogTail.Logged> events = logged(1);

        assertThat(events).extracting(l -> l.event().getDataplane()).containsExactly("web-1." + namespace);
        // The informer handled db-0 before web-1, and none watches the other namespace: one dataplane known, nothing else claimed.
        assertThat(watcher.dataplanes()).isEqualTo(1);
    }
}
