package io.vigil.app;

import java.util.Map;

/**
 * What one {@link Role} does over the life of a {@code vigil serve} process. {@link Roles} is the
 * one place that calls these, and only for the roles that run in the process: {@link #start()}
 * once (after vigil's topics exist, when {@link #needsTopics()}), {@link #ready()} from readiness
 * probes, {@link #stop()} once at shutdown, even when the start never came.
 *
 * <p>Threading: {@code start} runs on a starter thread of its own (or the start-up thread for a
 * role that needs no topics), {@code stop} on the shutdown thread, {@code ready} on any thread;
 * an implementation guards its own state accordingly.
 */
interface RoleLifecycle {

    Role role();

    /** Whether the start waits for vigil's topics to exist (every role that reads or writes Kafka in the background). */
    default boolean needsTopics() {
        return true;
    }

    /** Called at once for a role that runs here, before its {@link #start()}, which may wait for the topics. */
    default void starting() {
    }

    /** Starts the role's work; a failure fails the role's readiness, or the process when the role needs no topics. */
    void start();

    /** Whether the role does its job now: joined, restored, caught up, synced. */
    boolean ready();

    /** Details for the readiness check's data, e.g. how many dataplanes a watcher knows. */
    default Map<String, Object> readinessData() {
        return Map.of();
    }

    /** Stops the role's work; called once, also for a role whose start never came. */
    void stop();
}
