package io.vigil.schemas;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one event while it is decoded. Not thread-safe: one per decode. */
final class Problems {

    private final List<Problem> list = new ArrayList<>(0);

    void add(JsonPath at, String message) {
        list.add(new Problem(at.toString(), message));
    }

    int count() {
        return list.size();
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    List<Problem> list() {
        return list;
    }
}
