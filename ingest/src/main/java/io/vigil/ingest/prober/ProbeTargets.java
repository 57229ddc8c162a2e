package io.vigil.ingest.prober;

import io.vigil.avro.CurrentDataplaneSpec;
import io.vigil.avro.CurrentInboundSpec;
import io.vigil.avro.Environment;
import io.vigil.schemas.DataplaneKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the prober probes, folded from the dataplane specs that aggregator stage 1 publishes
 * ({@code vigil.dataplane-specs}), and when each check is due.
 *
 * <p>A Universal dataplane's inbounds with a {@code serviceProbe} are its targets, at the
 * inbound's effective address and workload port, with the probe settings after defaults, all as
 * the spec record says. They are probed while the record says {@code connected} (the
 * aggregator's subscription rule: a stale disconnect does not pause) and not {@code draining};
 * a tombstone forgets them. Dataplanes without targets are not kept. Dataplanes of a partition
 * that is still being re-read after an assignment are not probed, so a target deleted later in
 * the topic is never probed on the way.
 *
 * <p>Threading: every method is synchronized; the spec consumer thread folds, the probe
 * scheduler takes due checks and releases them.
 */
public final class ProbeTargets {

    private final Map<DataplaneKey, Dataplane> dataplanes = new HashMap<>();
    private final Set<Integer> restoring = new HashSet<>();
    /** Checks taken and not yet released, per mesh: taken in {@link #takeDue}, given back in {@link #release}. */
    private final Map<String, Integer> runningPerMesh = new HashMap<>();
    private final int maxRunningPerMesh;
    private int targetCount;

    /** @param maxRunningPerMesh how many checks of one mesh may run at once, so that no mesh takes every slot */
    public ProbeTargets(int maxRunningPerMesh) {
        if (maxRunningPerMesh < 1) {
            throw new IllegalArgumentException("vigil.prober.max-concurrency-per-mesh must be at least 1, got " + maxRunningPerMesh);
        }
        this.maxRunningPerMesh = maxRunningPerMesh;
    }

    /**
     * Folds one record read from {@code partition} of the spec topic: the dataplane's current
     * spec, or null (a tombstone) once it is deleted. A target the spec leaves equal keeps its
     * schedule; a new or changed one is due at once, and so is every target of a dataplane whose
     * probing resumes (a new stream after a disconnect or a drain).
     */
    public synchronized void apply(DataplaneKey key, CurrentDataplaneSpec spec, int partition) {
        Dataplane dataplane = dataplanes.get(key);
        List<Slot> slots = spec == null ? List.of() : slots(key, spec, dataplane == null ? List.of() : dataplane.slots);
        if (dataplane != null) {
            targetCount -= dataplane.slots.size();
        }
        if (slots.isEmpty()) {
            dataplanes.remove(key);
            return;
        }
        if (dataplane == null) {
            dataplane = new Dataplane(partition);
            dataplanes.put(key, dataplane);
        }
        boolean probing = spec.getConnected() && !spec.getDraining();
        if (probing && !dataplane.probing) {
            slots.forEach(Slot::dueNow);
        }
        dataplane.slots = slots;
        dataplane.probing = probing;
        targetCount += slots.size();
    }

    private static List<Slot> slots(DataplaneKey key, CurrentDataplaneSpec spec, List<Slot> current) {
        if (spec.getEnvironment() != Environment.UNIVERSAL) {
            // SPEC section 2: probe settings count on Universal only; Kubernetes health comes from the pod.
            return List.of();
        }
        List<Slot> slots = new ArrayList<>(spec.getInbounds().size());
        for (CurrentInboundSpec inbound : spec.getInbounds()) {
            if (inbound.getProbe() == null) {
                continue;
            }
            ProbeTarget target = new ProbeTarget(key, inbound.getPort(), inbound.getAddress(), inbound.getWorkloadPort(),
                    ProbeSettings.of(inbound.getProbe()));
            slots.add(current.stream().filter(slot -> slot.target.equals(target)).findFirst().orElseGet(() -> new Slot(target)));
        }
        return List.copyOf(slots);
    }

    /** The partition was assigned: its dataplanes are re-read from the topic and not probed until {@link #restored}. */
    public synchronized void restoring(int partition) {
        drop(partition);
        restoring.add(partition);
    }

    /** The partition is read up to where it ended at assignment: its targets are probed from now on. */
    public synchronized void restored(int partition) {
        restoring.remove(partition);
    }

    /** The partition went to another prober (or was lost): forget its dataplanes. */
    public synchronized void drop(int partition) {
        restoring.remove(partition);
        dataplanes.values().removeIf(dataplane -> {
            if (dataplane.partition == partition) {
                targetCount -= dataplane.slots.size();
                return true;
            }
            return false;
        });
    }

    /**
     * The targets whose check is due at {@code nowMillis} and not already running, as long as
     * their mesh has fewer than {@code maxRunningPerMesh} checks running; each is marked running
     * and next due one interval later. The caller hands each back through {@link #release}.
     */
    public synchronized List<ProbeTarget> takeDue(long nowMillis) {
        List<ProbeTarget> due = new ArrayList<>();
        for (Map.Entry<DataplaneKey, Dataplane> entry : dataplanes.entrySet()) {
            Dataplane dataplane = entry.getValue();
            if (!dataplane.probing || restoring.contains(dataplane.partition)) {
                continue;
            }
            String mesh = entry.getKey().mesh();
            for (Slot slot : dataplane.slots) {
                if (!slot.running && slot.nextDueMillis <= nowMillis) {
                    int running = runningPerMesh.getOrDefault(mesh, 0);
                    if (running >= maxRunningPerMesh) {
                        // Stays due: taken on a later tick, once a check of its mesh is over.
                        break;
                    }
                    runningPerMesh.put(mesh, running + 1);
                    slot.running = true;
                    slot.nextDueMillis = nowMillis + slot.target.settings().intervalMillis();
                    due.add(slot.target);
                }
            }
        }
        return due;
    }

    /**
     * Whether the result of a check of {@code target} still matters: false when the target
     * changed, was deleted or paused while the check ran (its result would describe the past).
     */
    public synchronized boolean current(ProbeTarget target) {
        Slot slot = slot(target);
        if (slot == null) {
            return false;
        }
        Dataplane dataplane = dataplanes.get(target.dataplane());
        return dataplane.probing && !restoring.contains(dataplane.partition);
    }

    /**
     * A check taken by {@link #takeDue} is over, its result published or dropped: the target may
     * be checked again. Releasing only after publishing keeps one target's results in order.
     */
    public synchronized void release(ProbeTarget target) {
        // Every taken check is released once, even when its dataplane changed or left meanwhile.
        runningPerMesh.computeIfPresent(target.dataplane().mesh(), (mesh, running) -> running > 1 ? running - 1 : null);
        Slot slot = slot(target);
        if (slot != null) {
            slot.running = false;
        }
    }

    /** Records that {@code target} was refused; true the first time, so the refusal is logged and counted once. */
    public synchronized boolean firstRefusal(ProbeTarget target) {
        Slot slot = slot(target);
        if (slot == null || slot.refused) {
            return false;
        }
        slot.refused = true;
        return true;
    }

    /** How many probed inbounds this prober knows, paused ones included. */
    public synchronized int size() {
        return targetCount;
    }

    private Slot slot(ProbeTarget target) {
        Dataplane dataplane = dataplanes.get(target.dataplane());
        if (dataplane == null) {
            return null;
        }
        return dataplane.slots.stream().filter(slot -> slot.target.equals(target)).findFirst().orElse(null);
    }

    private static final class Dataplane {

        final int partition;
        List<Slot> slots = List.of();
        /** Connected and not draining. */
        boolean probing;

        Dataplane(int partition) {
            this.partition = partition;
        }
    }

    /** One target's schedule; a new target is due at once. */
    private static final class Slot {

        final ProbeTarget target;
        long nextDueMillis = Long.MIN_VALUE;
        boolean running;
        boolean refused;

        Slot(ProbeTarget target) {
            this.target = target;
        }

        void dueNow() {
            nextDueMillis = Long.MIN_VALUE;
        }
    }
}
