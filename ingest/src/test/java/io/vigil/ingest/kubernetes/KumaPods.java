package io.vigil.ingest.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** Pods as Kuma's injector leaves them: an app container on port 8080 and the kuma-sidecar, all on 127.0.0.x. */
final class KumaPods {

    private KumaPods() {
    }

    /** A running pod {@code name} in {@code namespace}; {@code appReady} and {@code sidecarReady} set the containers' readiness. */
    static PodBuilder pod(String namespace, String name, boolean appReady, boolean sidecarReady) {
        return new PodBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).withUid("uid-" + name).withResourceVersion("7").endMetadata()
                .withNewSpec()
                .addToContainers(new ContainerBuilder().withName("app").withImage("app:1").addNewPort().withContainerPort(8080).endPort().build())
                .addToContainers(new ContainerBuilder().withName(PodTranslator.SIDECAR).withImage("kuma-dp:2.14")
                        .addNewPort().withContainerPort(9901).endPort().build())
                .endSpec()
                .withNewStatus().withPhase("Running").withPodIP("127.0.0.10")
                .addToContainerStatuses(new ContainerStatusBuilder().withName("app").withReady(appReady).build())
                .addToContainerStatuses(new ContainerStatusBuilder().withName(PodTranslator.SIDECAR).withReady(sidecarReady).build())
                .endStatus();
    }

    /** The same pod with kuma-sidecar as a native sidecar: an init container with restartPolicy Always, after kuma-init. */
    static Pod nativeSidecarPod(String namespace, String name, boolean appReady, boolean sidecarReady) {
        return new PodBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).withUid("uid-" + name).withResourceVersion("7").endMetadata()
                .withNewSpec()
                .addToInitContainers(new ContainerBuilder().withName("kuma-init").withImage("kuma-init:2.14").build())
                .addToInitContainers(new ContainerBuilder().withName(PodTranslator.SIDECAR).withImage("kuma-dp:2.14")
                        .withRestartPolicy("Always").build())
                .addToContainers(new ContainerBuilder().withName("app").withImage("app:1").addNewPort().withContainerPort(8080).endPort().build())
                .endSpec()
                .withNewStatus().withPhase("Running").withPodIP("127.0.0.11")
                .addToInitContainerStatuses(new ContainerStatusBuilder().withName("kuma-init").withReady(false).build())
                .addToInitContainerStatuses(new ContainerStatusBuilder().withName(PodTranslator.SIDECAR).withReady(sidecarReady).build())
                .addToContainerStatuses(new ContainerStatusBuilder().withName("app").withReady(appReady).build())
                .endStatus()
                .build();
    }
}
