package io.vigil.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A trimmed Java runtime for the image, made by {@code jlink} from the JDK that builds it: no
 * base image to pull, and only the modules vigil uses (about a third of a full JDK).
 */
final class JavaRuntime {

    /**
     * What vigil's classpath uses ({@code jdeps -s} over target/quarkus-app, without the
     * compiler), plus what is found by service look-up, which jdeps cannot see: elliptic-curve
     * TLS, zip file systems, JNDI over DNS and the extra charsets.
     */
    static final List<String> MODULES = List.of("java.base", "java.desktop", "java.logging", "java.management", "java.naming",
            "java.net.http", "java.rmi", "java.security.jgss", "java.security.sasl", "java.sql", "java.transaction.xa",
            "java.xml", "jdk.management", "jdk.unsupported", "jdk.crypto.ec", "jdk.zipfs", "jdk.naming.dns", "jdk.charsets");

    private JavaRuntime() {
    }

    /** Links the runtime into {@code output} (replacing what is there) with {@code jdk}'s jlink; blocks until done. */
    static Path link(Path jdk, Path output) throws IOException, InterruptedException {
        Path jlink = jdk.resolve("bin/jlink");
        if (!Files.isExecutable(jlink)) {
            throw new IllegalStateException("no jlink in " + jdk + ": build the image with a full JDK, not a JRE");
        }
        deleteRecursively(output);
        Files.createDirectories(output.getParent());
        Process process = new ProcessBuilder(jlink.toString(), "--add-modules", String.join(",", MODULES),
                "--strip-debug", "--no-header-files", "--no-man-pages", "--compress=2", "--output", output.toString())
                .redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("jlink failed: " + log);
        }
        return output;
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
