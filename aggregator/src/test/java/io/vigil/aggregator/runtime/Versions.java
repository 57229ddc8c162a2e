package io.vigil.aggregator.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks what a follower saw: per entity, versions 1..n each exactly once, from 1 again after a tombstone. */
public final class Versions {

    private final Map<String, Long> last = new HashMap<>();
    private final List<String> gaps = new ArrayList<>();

    public static List<String> gaps(ChangeTopicReader topics) {
        Versions versions = new Versions();
        topics.inbound().forEach(c -> versions.see("inbound " + c.getMesh() + "/" + c.getDataplane() + "/" + c.getPort(),
                c.getVersion(), c.getState() == null));
        topics.proxy().forEach(c -> versions.see("proxy " + c.getMesh() + "/" + c.getDataplane(), c.getVersion(), c.getState() == null));
        topics.service().forEach(c -> versions.see("service " + c.getMesh() + "/" + c.getService(), c.getVersion(), c.getState() == null));
        return versions.gaps;
    }

    private void see(String key, long version, boolean tombstone) {
        long expected = last.getOrDefault(key, 0L) + 1;
        if (version != expected) {
            gaps.add(key + ": expected version " + expected + ", saw " + version);
        }
        if (tombstone) {
            last.remove(key);
        } else {
            last.put(key, version);
        }
    }
}
