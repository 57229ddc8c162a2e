package io.vigil.aggregator.core;

import java.util.Arrays;

/**
 * The last {@value #CAPACITY} event ids seen for one dataplane, as 64-bit hashes: bounded memory
 * whatever the ids look like, and a false match needs a 64-bit collision among 64 values.
 * Not thread-safe; owned by the dataplane's state.
 */
final class RecentIds {

    static final int CAPACITY = 64;

    /** Allocated with the first id: most dataplanes' facts carry none. */
    private long[] hashes;
    private int size;
    private int next;

    boolean contains(String id) {
        long hash = hash(id);
        for (int i = 0; i < size; i++) {
            if (hashes[i] == hash) {
                return true;
            }
        }
        return false;
    }

    void add(String id) {
        if (hashes == null) {
            hashes = new long[CAPACITY];
        }
        hashes[next] = hash(id);
        next = (next + 1) % CAPACITY;
        size = Math.min(size + 1, CAPACITY);
    }

    /** Oldest first, for checkpoints. */
    long[] toArray() {
        long[] ordered = new long[size];
        int start = size < CAPACITY ? 0 : next;
        for (int i = 0; i < size; i++) {
            ordered[i] = hashes[(start + i) % CAPACITY];
        }
        return ordered;
    }

    static RecentIds of(long[] oldestFirst) {
        RecentIds ids = new RecentIds();
        if (oldestFirst.length > 0) {
            ids.hashes = new long[CAPACITY];
        }
        int from = Math.max(0, oldestFirst.length - CAPACITY);
        for (int i = from; i < oldestFirst.length; i++) {
            ids.hashes[ids.next] = oldestFirst[i];
            ids.next = (ids.next + 1) % CAPACITY;
            ids.size = Math.min(ids.size + 1, CAPACITY);
        }
        return ids;
    }

    /** FNV-1a over the UTF-16 units, then a 64-bit finalizer to spread the bits; stable across JVMs. */
    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecentIds other && Arrays.equals(toArray(), other.toArray());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toArray());
    }
}
