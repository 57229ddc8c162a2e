package io.vigil.ingest.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.vigil.avro.Container;
import io.vigil.avro.DataplaneDeleted;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.PodReadiness;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per rule of the pod-to-fact translation. */
class PodTranslatorTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private static DataplaneEvent translate(Pod pod) {
        return PodTranslator.translate(pod, NOW).orElseThrow();
    }

    private static PodReadiness readiness(Pod pod) {
        return (PodReadiness) translate(pod).getPayload();
    }

    @Test
    void aReadyPodGivesItsContainersWithPortsAndReadinessUnderPodNameDotNamespace() {
        DataplaneEvent event = translate(KumaPods.pod("shop", "web-1", true, true).build());

        assertThat(event.getMesh()).isEqualTo("default");
        assertThat(event.getDataplane()).isEqualTo("web-1.shop");
        assertThat(event.getTime()).isEqualTo(NOW);
        assertThat(event.getId()).isEqualTo("k8s/uid-web-1/7");
        assertThat(event.getPayload()).isEqualTo(new PodReadiness(false, true, List.of(new Container("app", true, List.of(8080)))));
    }

    @Test
    void sidecarNotReady() {
        assertThat(readiness(KumaPods.pod("shop", "web-1", true, false).build()).getSidecarReady()).isFalse();
    }

    @Test
    void appContainerNotReady() {
        PodReadiness readiness = readiness(KumaPods.pod("shop", "web-1", false, true).build());

        assertThat(readiness.getSidecarReady()).isTrue();
        assertThat(readiness.getContainers()).containsExactly(new Container("app", false, List.of(8080)));
    }

    @Test
    void aContainerWithoutStatusYetIsNotReady() {
        Pod pod = KumaPods.pod("shop", "web-1", true, true).editStatus().withContainerStatuses().endStatus().build();

        PodReadiness readiness = readiness(pod);

        assertThat(readiness.getSidecarReady()).isFalse();
        assertThat(readiness.getContainers()).containsExactly(new Container("app", false, List.of(8080)));
    }

    @Test
    void everyContainerPortIsListed() {
        Pod pod = KumaPods.pod("shop", "web-1", true, true).editSpec()
                .addToContainers(new ContainerBuilder().withName("metrics").addNewPort().withContainerPort(9100).endPort()
                        .addNewPort().withContainerPort(9101).endPort().build())
                .addToContainers(new ContainerBuilder().withName("worker").build())
                .endSpec().build();

        assertThat(readiness(pod).getContainers()).containsExactly(new Container("app", true, List.of(8080)),
                new Container("metrics", false, List.of(9100, 9101)), new Container("worker", false, List.of()));
    }

    @Test
    void aPodWithADeletionTimestampIsTerminating() {
        Pod pod = KumaPods.pod("shop", "web-1", true, true).editMetadata().withDeletionTimestamp("2026-11-26T09:59:00Z").endMetadata().build();

        assertThat(readiness(pod).getTerminating()).isTrue();
    }

    @Test
    void aNativeSidecarCountsAndRunToCompletionInitContainersDoNot() {
        assertThat(readiness(KumaPods.nativeSidecarPod("shop", "web-1", true, true)))
                .isEqualTo(new PodReadiness(false, true, List.of(new Container("app", true, List.of(8080)))));
        assertThat(readiness(KumaPods.nativeSidecarPod("shop", "web-1", true, false)).getSidecarReady()).isFalse();
    }

    @Test
    void otherNativeSidecarsAreContainersOfThePod() {
        Pod pod = new PodBuilder(KumaPods.nativeSidecarPod("shop", "web-1", true, true)).editSpec()
                .addToInitContainers(new ContainerBuilder().withName("log-shipper").withRestartPolicy("Always")
                        .addNewPort().withContainerPort(24224).endPort().build())
                .endSpec().editStatus()
                .addToInitContainerStatuses(new ContainerStatusBuilder().withName("log-shipper").withReady(true).build())
                .endStatus().build();

        assertThat(readiness(pod).getContainers()).containsExactly(new Container("app", true, List.of(8080)),
                new Container("log-shipper", true, List.of(24224)));
    }

    @Test
    void podsWithoutTheKumaSidecarHaveNoDataplane() {
        Pod plain = new PodBuilder().withNewMetadata().withNamespace("shop").withName("db-0").withUid("u").endMetadata()
                .withNewSpec().addNewContainer().withName("db").endContainer().endSpec().build();
        Pod runToCompletion = new PodBuilder(plain).editSpec()
                .addNewInitContainer().withName(PodTranslator.SIDECAR).endInitContainer().endSpec().build();

        assertThat(PodTranslator.translate(plain, NOW)).isEmpty();
        assertThat(PodTranslator.translate(runToCompletion, NOW)).isEmpty();
        assertThat(PodTranslator.translateRemoved(plain, NOW)).isEmpty();
    }

    @Test
    void theMeshComesFromTheLabelThenTheAnnotationElseDefault() {
        Pod annotated = KumaPods.pod("shop", "web-1", true, true).editMetadata()
                .addToAnnotations("kuma.io/mesh", "payments").endMetadata().build();
        Pod labelled = new PodBuilder(annotated).editMetadata().addToLabels("kuma.io/mesh", "billing").endMetadata().build();
        Pod blank = KumaPods.pod("shop", "web-1", true, true).editMetadata().addToAnnotations("kuma.io/mesh", " ").endMetadata().build();

        assertThat(translate(annotated).getMesh()).isEqualTo("payments");
        assertThat(translate(labelled).getMesh()).isEqualTo("billing");
        assertThat(translate(blank).getMesh()).isEqualTo("default");
    }

    @Test
    void aSucceededPodDeletesItsDataplane() {
        Pod pod = KumaPods.pod("jobs", "batch-1", false, false).editStatus().withPhase("Succeeded").endStatus().build();

        assertDeleted(translate(pod), "batch-1.jobs", "k8s/uid-batch-1/deleted");
    }

    @Test
    void anEvictedPodDeletesItsDataplane() {
        Pod pod = KumaPods.pod("shop", "web-1", false, false).editStatus().withPhase("Failed").withReason("Evicted").endStatus().build();

        assertDeleted(translate(pod), "web-1.shop", "k8s/uid-web-1/deleted");
    }

    @Test
    void aFailedPodThatWasNotEvictedIsOnlyNotReady() {
        Pod pod = KumaPods.pod("shop", "web-1", false, false).editStatus().withPhase("Failed").endStatus().build();

        assertThat(translate(pod).getPayload()).isInstanceOf(PodReadiness.class);
    }

    @Test
    void aRemovedPodDeletesItsDataplaneWithOneIdPerPod() {
        Pod pod = KumaPods.pod("shop", "web-1", true, true).editMetadata().addToAnnotations("kuma.io/mesh", "payments").endMetadata().build();

        DataplaneEvent event = PodTranslator.translateRemoved(pod, NOW).orElseThrow();

        assertDeleted(event, "web-1.shop", "k8s/uid-web-1/deleted");
        assertThat(event.getMesh()).isEqualTo("payments");
    }

    @Test
    void theIdFollowsTheResourceVersion() {
        Pod later = KumaPods.pod("shop", "web-1", true, true).editMetadata().withResourceVersion("8").endMetadata().build();

        assertThat(translate(later).getId()).isEqualTo("k8s/uid-web-1/8");
    }

    private static void assertDeleted(DataplaneEvent event, String dataplane, String id) {
        assertThat(event.getPayload()).isInstanceOf(DataplaneDeleted.class);
        assertThat(event.getDataplane()).isEqualTo(dataplane);
        assertThat(event.getId()).isEqualTo(id);
        assertThat(event.getTime()).isEqualTo(NOW);
    }
}
