package io.vigil.ingest.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.vigil.avro.DataplaneDeleted;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.PodReadiness;
import io.vigil.schemas.KeyFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns a Kubernetes pod into the fact vigil records about its dataplane (SPEC section 1): a
 * {@code pod-readiness}, or a {@code dataplane-deleted} once the pod is gone, Succeeded or evicted
 * (as Kuma's pod controller deletes the Dataplane then). Pods without the Kuma sidecar have no
 * dataplane and translate to nothing. Pure and stateless: safe on any thread.
 */
public final class PodTranslator {

    /** The container Kuma injects, as a plain container or as a native sidecar (an init container that keeps running). */
    static final String SIDECAR = "kuma-sidecar";
    /** Where Kuma reads a pod's mesh from: the label, then the older annotation. */
    static final String MESH_KEY = "kuma.io/mesh";
    static final String DEFAULT_MESH = "default";

    private PodTranslator() {
    }

    /** The fact about a pod that still exists, observed at {@code observedAt}; empty for a pod without the Kuma sidecar. */
    public static Optional<DataplaneEvent> translate(Pod pod, Instant observedAt) {
        if (!hasSidecar(pod)) {
            return Optional.empty();
        }
        PodStatus status = Objects.requireNonNullElseGet(pod.getStatus(), PodStatus::new);
        if ("Succeeded".equals(status.getPhase()) || "Evicted".equals(status.getReason())) {
            return Optional.of(deleted(pod, observedAt));
        }
        return Optional.of(event(pod, observedAt, "/" + pod.getMetadata().getResourceVersion(), readiness(pod, status)));
    }

    /** The fact about a pod the API server no longer has; empty for a pod without the Kuma sidecar. */
    public static Optional<DataplaneEvent> translateRemoved(Pod pod, Instant observedAt) {
        return hasSidecar(pod) ? Optional.of(deleted(pod, observedAt)) : Optional.empty();
    }

    /** {@code mesh/dataplane}, the event log's key for the pod's dataplane. */
    public static String key(DataplaneEvent event) {
        return KeyFormat.of(event.getMesh(), event.getDataplane());
    }

    private static DataplaneEvent deleted(Pod pod, Instant observedAt) {
        // One id per pod incarnation: however often the end is observed, the log applies it once.
        return event(pod, observedAt, "/deleted", new DataplaneDeleted());
    }

    /** The id is the pod's uid and what it observed, so a retried or repeated observation is applied once (SPEC section 1). */
    private static DataplaneEvent event(Pod pod, Instant observedAt, String idSuffix, Object payload) {
        ObjectMeta meta = pod.getMetadata();
        String id = "k8s/" + meta.getUid() + idSuffix;
        return new DataplaneEvent(id, mesh(meta), meta.getName() + "." + meta.getNamespace(), observedAt, payload);
    }

    private static String mesh(ObjectMeta meta) {
        for (Map<String, String> source : List.of(nonNull(meta.getLabels()), nonNull(meta.getAnnotations()))) {
            String mesh = source.get(MESH_KEY);
            if (mesh != null && !mesh.isBlank()) {
                return mesh;
            }
        }
        return DEFAULT_MESH;
    }

    private static PodReadiness readiness(Pod pod, PodStatus status) {
        // Kubernetes keeps container names unique across containers and init containers.
        Map<String, Boolean> ready = new HashMap<>();
        Stream.concat(nonNull(status.getContainerStatuses()).stream(), nonNull(status.getInitContainerStatuses()).stream())
                .forEach(s -> ready.put(s.getName(), Boolean.TRUE.equals(s.getReady())));
        // Native sidecars serve traffic beside the app and count in the pod's readiness; run-to-completion
        // init containers (kuma-init among them) are finished before the pod can be ready, so they do not.
        PodSpec spec = pod.getSpec();
        List<Container> serving = Stream.concat(nonNull(spec.getContainers()).stream(),
                nonNull(spec.getInitContainers()).stream().filter(PodTranslator::isNativeSidecar)).toList();
        List<io.vigil.avro.Container> containers = new ArrayList<>();
        boolean sidecarReady = false;
        for (Container container : serving) {
            // A container without a status yet (still being created) is not ready.
            boolean isReady = ready.getOrDefault(container.getName(), false);
            if (SIDECAR.equals(container.getName())) {
                sidecarReady = isReady;
            } else {
                containers.add(container(container, isReady));
            }
        }
        return new PodReadiness(pod.getMetadata().getDeletionTimestamp() != null, sidecarReady, containers);
    }

    private static io.vigil.avro.Container container(Container container, boolean ready) {
        List<Integer> ports = nonNull(container.getPorts()).stream().map(ContainerPort::getContainerPort).filter(Objects::nonNull).toList();
        return new io.vigil.avro.Container(container.getName(), ready, ports);
    }

    private static boolean hasSidecar(Pod pod) {
        PodSpec spec = pod.getSpec();
        if (spec == null || pod.getMetadata() == null) {
            return false;
        }
        return nonNull(spec.getContainers()).stream().anyMatch(c -> SIDECAR.equals(c.getName()))
                || nonNull(spec.getInitContainers()).stream().anyMatch(c -> SIDECAR.equals(c.getName()) && isNativeSidecar(c));
    }

    private static boolean isNativeSidecar(Container initContainer) {
        return "Always".equals(initContainer.getRestartPolicy());
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static <K, V> Map<K, V> nonNull(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
