package io.vigil.app;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The parts of vigil one process can run (SPEC section 7); {@code vigil serve} runs the defaults.
 * {@link Roles} stops them in the reverse of this order.
 */
public enum Role {
    INGEST,
    PROBER,
    AGGREGATOR,
    PROJECTIONS,
    K8S_WATCHER;

    /** What {@code vigil serve} runs without {@code --roles} (everything but the pod watcher), for the option and the configuration alike. */
    public static final String DEFAULT_NAMES = "ingest,prober,aggregator,projections";

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@code --roles} values; unknown names fail with the list of known ones. */
    public static Set<Role> parse(List<String> names) {
        Set<Role> roles = new LinkedHashSet<>();
        for (String raw : names) {
            String name = raw.trim();
            Role role = Arrays.stream(values()).filter(r -> r.cliName().equals(name)).findFirst()
                    .orElseThrow(() -> new BadInputException("unknown role '" + name + "'; roles are "
                            + Arrays.stream(values()).map(Role::cliName).collect(Collectors.joining(", "))));
            roles.add(role);
        }
        if (roles.isEmpty()) {
            throw new BadInputException("--roles needs at least one role");
        }
        return roles;
    }
}
