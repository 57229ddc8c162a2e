package io.vigil.app;

import io.vigil.projections.ProjectionsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * The groups of the one {@link VigilConfig} mapping that beans of other modules inject: they see
 * their own settings, with the defaults declared once in the group's interface.
 */
@ApplicationScoped
public class ConfigGroups {

    @Produces
    ProjectionsConfig projections(VigilConfig config) {
        return config.projections();
    }
}
