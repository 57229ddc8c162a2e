package io.vigil.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The conformance scenarios of {@code ../shared/conformance/scenarios}, vendored into this module
 * as test resources under {@value #RESOURCE_DIR} and read from the classpath: every test that checks
 * vigil against them runs wherever the build runs, with nothing to set and nothing to skip.
 *
 * <p>A scenario is {@code NAME.jsonl} (SPEC section 1 events, one per line) and
 * {@code NAME.expected.json} (the SPEC section 5 state replaying them must give). The files are
 * handed out as paths, because some tests give them to {@code vigil replay}: straight from the
 * classpath directory, or, when the test-jar is a jar, from a copy in a temporary directory made
 * once per JVM and deleted when it exits.
 *
 * <p>Threading: any thread may call the methods; the first call finds (or copies) the files.
 */
public final class ConformanceScenarios {

    /** Where the scenarios are on the classpath. */
    public static final String RESOURCE_DIR = "conformance/scenarios";

    private static final String EVENTS = ".jsonl";
    private static final String EXPECTED = ".expected.json";

    /** Filled on first use. */
    private static SortedMap<String, Scenario> all;

    private ConformanceScenarios() {
    }

    /**
     * One scenario's files.
     *
     * @param name the file names' common part, e.g. {@code 05-partially-degraded-proxy}
     * @param events the events, JSON lines
     * @param expected the state replaying the events gives, JSON
     */
    public record Scenario(String name, Path events, Path expected) {

        /** The non-blank lines of {@link #events()}, in order. */
        public List<String> eventLines() {
            try {
                return Files.readAllLines(events).stream().filter(line -> !line.isBlank()).toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + events, e);
            }
        }

        /** The text of {@link #expected()}. */
        public String expectedJson() {
            try {
                return Files.readString(expected);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + expected, e);
            }
        }
    }

    /**
     * Every scenario, by name in name order.
     *
     * @throws IllegalStateException naming the resource path when no scenario is on the classpath, or
     *         when a scenario lacks one of its two files
     */
    public static synchronized SortedMap<String, Scenario> all() {
        if (all == null) {
            all = Collections.unmodifiableSortedMap(find(directory()));
        }
        return all;
    }

    /**
     * One scenario.
     *
     * @throws IllegalArgumentException if there is no scenario {@code name}
     */
    public static Scenario named(String name) {
        Scenario scenario = all().get(name);
        if (scenario == null) {
            throw new IllegalArgumentException("no conformance scenario " + name + " in classpath resource " + RESOURCE_DIR
                    + "/ (there are " + all().keySet() + ")");
        }
        return scenario;
    }

    private static SortedMap<String, Scenario> find(Path dir) {
        SortedMap<String, Scenario> scenarios = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path events : files.filter(f -> f.getFileName().toString().endsWith(EVENTS)).toList()) {
                String file = events.getFileName().toString();
                String name = file.substring(0, file.length() - EVENTS.length());
                Path expected = dir.resolve(name + EXPECTED);
                if (!Files.isRegularFile(expected)) {
                    throw new IllegalStateException("conformance scenario " + name + " has no " + name + EXPECTED
                            + " beside it in classpath resource " + RESOURCE_DIR + "/ (" + dir + ")");
                }
                scenarios.put(name, new Scenario(name, events, expected));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        if (scenarios.isEmpty()) {
            throw new IllegalStateException("no conformance scenarios (*" + EVENTS + ") in classpath resource " + RESOURCE_DIR
                    + "/ (" + dir + ")");
        }
        return scenarios;
    }

    /** The scenarios' directory on disk. */
    private static Path directory() {
        URL url = ConformanceScenarios.class.getClassLoader().getResource(RESOURCE_DIR);
        if (url == null) {
            throw new IllegalStateException("no classpath resource " + RESOURCE_DIR + "/: the conformance scenarios are test resources"
                    + " of deploy/test-support; depend on io.vigil:vigil-test-support (type test-jar, scope test)");
        }
        try {
            return switch (url.getProtocol()) {
                case "file" -> Path.of(url.toURI());
                case "jar" -> copyOutOf((JarURLConnection) url.openConnection());
                default -> throw new IllegalStateException("classpath resource " + RESOURCE_DIR + "/ is at " + url
                        + ", neither a directory nor in a jar");
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + RESOURCE_DIR + "/ at " + url, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("classpath resource " + RESOURCE_DIR + "/ is at " + url, e);
        }
    }

    /** Copies the scenario files out of the jar into a fresh temporary directory, deleted when the JVM exits. */
    private static Path copyOutOf(JarURLConnection connection) throws IOException {
        connection.setUseCaches(false);
        Path dir = Files.createTempDirectory("vigil-conformance-");
        dir.toFile().deleteOnExit();
        String prefix = RESOURCE_DIR + "/";
        try (JarFile jar = connection.getJarFile()) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !name.startsWith(prefix) || name.indexOf('/', prefix.length()) >= 0) {
                    continue;
                }
                Path file = dir.resolve(name.substring(prefix.length()));
                try (InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, file);
                }
                // Registered after the directory, so deleted before it.
                file.toFile().deleteOnExit();
            }
        }
        return dir;
    }
}
