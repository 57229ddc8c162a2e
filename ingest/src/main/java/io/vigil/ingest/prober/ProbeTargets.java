package io.vigil.ingest.prober;

import io.vigil.aggregator.core.DataplaneDeleted;
import io.vigil.aggregator.core.DataplaneDraining;
import io.vigil.aggregator.core.DataplaneSpec;
import io.vigil.aggregator.core.DataplaneUpserted;
import io.vigil.aggregator.core.Environment;
import io.vigil.aggregator.core.Event;
import io.vigil.aggregator.core.InboundSpec;
import io.vigil.aggregator.core.StreamConnected;
import io.vigil.aggregator.core.StreamDisconnected;
import io.vigil.aggregator.core.Subscription;
import io.vigil.schemas.DataplaneKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the prober probes, folded from the event log, and when each check is due.
 *
 * <p>A Universal dataplane's inbounds with a {@code serviceProbe} are its targets. They are probed
 * while the dataplane's xDS stream is open and it is not draining: a {@code stream-disconnected}
 * that closes the open stream (the aggregator's rule, {@link Subscription}), or a
 * {@code dataplane-draining}, pauses them until the next {@code stream-connected}; a
 * {@code dataplane-deleted} forgets them. Facts that arrive before the resource are remembered,
 * as the aggregator does. Dataplanes of a partition that is still being re-read after an
 * assignment are not probed, so a target deleted later in the log is never probed on the way.
 *
 * <p>Threading: every method is synchronized; the event-log consumer thread folds, the probe
 * scheduler takes due checks and releases them.
 */
public final class ProbeTargets {

    private final Map<DataplaneKey, Dataplane> dataplanes = new HashMap<>();
    private final Set<Integer> restoring = new HashSet<>();
    private int targetCount;

    /** Folds one event read from {@code partition} of the event log. */
    public synchronized void apply(Event event, int partition) {
        DataplaneKey key = event.dataplane();
        if (event.payload() instanceof DataplaneDeleted) {
            Dataplane gone = dataplanes.remove(key);
            if (gone != null) {
                targetCount -= gone.slots.size();
            }
            return;
        }
        Dataplane dataplane = dataplanes.computeIfAbsent(key, k -> new Dataplane(partition));
        if (event.payload() instanceof DataplaneUpserted upserted) {
            targetCount -= dataplane.slots.size();
            dataplane.slots = slots(key, upserted, dataplane.slots);
            targetCount += dataplane.slots.size();
        } else if (event.payload() instanceof StreamConnected connected) {
            boolean wasProbing = dataplane.probing();
            dataplane.subscription = Subscription.openedBy(connected);
            dataplane.draining = false;
            if (!wasProbing) {
                dataplane.slots.forEach(Slot::dueNow);
            }
        } else if (event.payload() instanceof StreamDisconnected disconnected) {
            if (dataplane.subscription != null && dataplane.subscription.closedBy(disconnected)) {
                dataplane.subscription = null;
            }
        } else if (event.payload() instanceof DataplaneDraining) {
            dataplane.draining = true;
        }
    }

    private static List<Slot> slots(DataplaneKey key, DataplaneUpserted upserted, List<Slot> current) {
        if (upserted.environment() != Environment.UNIVERSAL) {
            // SPEC section 2: probe settings count on Universal only; Kubernetes health comes from the pod.
            return List.of();
        }
        DataplaneSpec spec = upserted.spec();
        List<Slot> slots = new ArrayList<>();
        for (InboundSpec inbound : spec.inbounds()) {
            if (inbound.probe() == null) {
                continue;
            }
            ProbeTarget target = new ProbeTarget(key, inbound.port(),
                    inbound.address() != null ? inbound.address() : spec.address(), inbound.workloadPort(), inbound.probe());
            slots.add(current.stream().filter(slot -> slot.target.equals(target)).findFirst().orElseGet(() -> new Slot(target)));
        }
        return List.copyOf(slots);
    }

    /** The partition was assigned: its dataplanes are re-read from the log and not probed until {@link #restored}. */
    public synchronized void restoring(int partition) {
        drop(partition);
        restoring.add(partition);
    }

    /** The partition's history is read up to where it ended at assignment: its targets are probed from now on. */
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
     * The targets whose check is due at {@code nowMillis} and not already running; each is marked
     * running and next due one interval later. The caller hands each back through {@link #release}.
     */
    public synchronized List<ProbeTarget> takeDue(long nowMillis) {
        List<ProbeTarget> due = new ArrayList<>();
        for (Dataplane dataplane : dataplanes.values()) {
            if (!dataplane.probing() || restoring.contains(dataplane.partition)) {
                continue;
            }
            for (Slot slot : dataplane.slots) {
                if (!slot.running && slot.nextDueMillis <= nowMillis) {
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
        return dataplane.probing() && !restoring.contains(dataplane.partition);
    }

    /**
     * A check taken by {@link #takeDue} is over, its result published or dropped: the target may
     * be checked again. Releasing only after publishing keeps one target's results in order.
     */
    public synchronized void release(ProbeTarget target) {
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
        Subscription subscription;
        boolean draining;

        Dataplane(int partition) {
            this.partition = partition;
        }

        boolean probing() {
            return subscription != null && !draining;
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
