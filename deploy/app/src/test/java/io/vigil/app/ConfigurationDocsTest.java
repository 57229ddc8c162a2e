package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * README.md's configuration table documents every property of the one configuration mapping,
 * {@link VigilConfig} (found by reflection, groups included), with its environment variable and,
 * where the mapping declares one, the very same default.
 */
class ConfigurationDocsTest {

    private static final Path README = Path.of("../../README.md");

    /** A property of the mapping: its name and its declared default, or null when it has none. */
    private record Property(String name, String defaultValue) {
    }

    @Test
    void everyPropertyIsInTheReadmeTableWithItsEnvironmentVariableAndDefault() throws IOException {
        Map<String, List<String>> rows = readmeRows();
        List<Property> properties = new ArrayList<>();
        collect(VigilConfig.class, "vigil", properties);

        assertThat(properties).hasSizeGreaterThan(25);
        for (Property property : properties) {
            List<String> row = rows.get(property.name());
            assertThat(row).as("README.md configuration row for " + property.name()).isNotNull();
            assertThat(row.get(2)).as(property.name() + " environment variable")
                    .isEqualTo("`" + property.name().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + "`");
            if (property.defaultValue() != null) {
                assertThat(row.get(3)).as(property.name() + " default").isEqualTo("`" + property.defaultValue() + "`");
            } else {
                assertThat(row.get(3)).as(property.name() + " default (none declared: say what happens)").isNotBlank();
            }
        }
    }

    /** The leaf properties of a mapping interface, each group's under its own prefix. */
    private static void collect(Class<?> mapping, String prefix, List<Property> into) {
        for (Method method : mapping.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault() || method.getParameterCount() > 0) {
                continue;
            }
            String name = prefix + "." + kebab(method.getName());
            Class<?> type = method.getReturnType();
            if (type.isInterface() && !type.getName().startsWith("java.")) {
                collect(type, name, into);
            } else {
                WithDefault declared = method.getAnnotation(WithDefault.class);
                into.add(new Property(name, declared == null ? null : declared.value()));
            }
        }
    }

    private static String kebab(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The configuration table's rows by property (second column), each as its cells. */
    private static Map<String, List<String>> readmeRows() throws IOException {
        assertThat(README).as("README.md at " + README.toAbsolutePath()).exists();
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(README)) {
            if (!line.startsWith("|")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            if (cells.length < 6) {
                continue;
            }
            List<String> row = new ArrayList<>();
            for (int i = 1; i < cells.length - 1; i++) {
                row.add(cells[i].strip());
            }
            String property = row.get(1).replace("`", "");
            if (property.startsWith("vigil.")) {
                rows.put(property, row);
            }
        }
        return rows;
    }
}
