package io.vigil.ingest.simulate;

/**
 * The fleet a simulation plays: {@code dataplanes} dataplanes in {@code mesh}, each with
 * {@code inboundsPerDataplane} inbounds spread round-robin over {@code services} services, a
 * {@code kubernetesShare} of them on Kubernetes (the rest Universal), and the chance
 * {@code flapProbability} that a health report flips the inbound it reports on.
 *
 * @throws IllegalArgumentException naming the first value out of range
 */
public record FleetShape(String mesh, int dataplanes, int inboundsPerDataplane, int services,
                         double flapProbability, double kubernetesShare) {

    /** Inbound ports are 10000 up, so this many keeps them below 65536. */
    static final int MAX_INBOUNDS = 1000;

    public FleetShape {
        if (mesh == null || mesh.isBlank()) {
            throw new IllegalArgumentException("--mesh must not be blank");
        }
        if (dataplanes < 1 || dataplanes > 16_777_215) {
            throw new IllegalArgumentException("--dataplanes must be between 1 and 16777215 (one 127.x.y.z address each), got " + dataplanes);
        }
        if (inboundsPerDataplane < 1 || inboundsPerDataplane > MAX_INBOUNDS) {
            throw new IllegalArgumentException("--inbounds-per-dataplane must be between 1 and " + MAX_INBOUNDS + ", got " + inboundsPerDataplane);
        }
        if (services < 1) {
            throw new IllegalArgumentException("--services must be at least 1, got " + services);
        }
        if (!(flapProbability >= 0 && flapProbability <= 1)) {
            throw new IllegalArgumentException("--flap-probability must be between 0 and 1, got " + flapProbability);
        }
        if (!(kubernetesShare >= 0 && kubernetesShare <= 1)) {
            throw new IllegalArgumentException("--kubernetes-share must be between 0 and 1, got " + kubernetesShare);
        }
    }
}
