package io.vigil.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The environment variables the application reads, found in its own code rather than listed
 * again: {@code vigil serve}'s options that default to {@code ${env:NAME}}, every property of
 * {@link VigilConfig}, and the {@code quarkus.*} properties application.properties sets. Each
 * name maps to its default, or to null where there is none. Stateless; safe to share.
 */
final class AppSettings {

    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Z0-9_]+)(?::-([^}]*))?}");

    private AppSettings() {
    }

    /** Every environment variable name the app reads, with its default (null where none). */
    static Map<String, String> environmentVariables() {
        Map<String, String> names = new LinkedHashMap<>(serveOptions());
        configMapping(VigilConfig.class, VigilConfig.class.getAnnotation(ConfigMapping.class).prefix(), names);
        Properties app = applicationProperties();
        for (String key : app.stringPropertyNames()) {
            if (key.startsWith("quarkus.")) {
                names.put(environmentName(key), app.getProperty(key));
            }
        }
        return names;
    }

    /** {@code vigil serve}'s options that fall back to an environment variable, with the variable's default. */
    static Map<String, String> serveOptions() {
        Map<String, String> names = new LinkedHashMap<>();
        options(ServeCommand.class, names);
        return names;
    }

    /** The app's application.properties (the test classpath's own file would shadow it as a resource). */
    static Properties applicationProperties() {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src", "main", "resources", "application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** A property's name as an environment variable (MicroProfile Config's rule: upper case, other characters as {@code _}). */
    static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static void options(Class<?> command, Map<String, String> names) {
        for (Field field : command.getDeclaredFields()) {
            Option option = field.getAnnotation(Option.class);
            if (option != null) {
                Matcher env = ENV_DEFAULT.matcher(option.defaultValue());
                if (env.find()) {
                    names.put(env.group(1), env.group(2));
                }
            }
            if (field.isAnnotationPresent(Mixin.class)) {
                options(field.getType(), names);
            }
        }
    }

    private static void configMapping(Class<?> mapping, String prefix, Map<String, String> names) {
        for (Method method : mapping.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault() || method.getParameterCount() > 0) {
                continue;
            }
            String property = prefix + "." + kebab(method.getName());
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() == VigilConfig.class) {
                configMapping(type, property, names);
            } else {
                WithDefault value = method.getAnnotation(WithDefault.class);
                names.put(environmentName(property), value == null ? null : value.value());
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
