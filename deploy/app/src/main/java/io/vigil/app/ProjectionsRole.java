package io.vigil.app;

import io.vigil.projections.ChangeFollower;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code projections} role: follows the change topics into the views; ready once they have caught up. */
@ApplicationScoped
public class ProjectionsRole implements RoleLifecycle {

    private final ChangeFollower follower;

    ProjectionsRole(ChangeFollower follower) {
        this.follower = follower;
    }

    @Override
    public Role role() {
        return Role.PROJECTIONS;
    }

    @Override
    public void start() {
        follower.start();
    }

    @Override
    public boolean ready() {
        return follower.caughtUp();
    }

    @Override
    public void stop() {
        follower.stop();
    }
}
