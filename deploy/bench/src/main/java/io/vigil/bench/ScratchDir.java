package io.vigil.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's temporary directory (a broker's log, a state dir, a data dir), deleted with
 * everything in it on {@link #close}: a full {@code ./vigil bench} writes gigabytes, and a 1M
 * restore run alone some 3 GB, which must not pile up in {@code /tmp}. A benchmark that fails
 * keeps it when it says which log to read.
 */
final class ScratchDir implements AutoCloseable {

    private final Path path;

    private ScratchDir(Path path) {
        this.path = path;
    }

    static ScratchDir create(String prefix) throws IOException {
        return new ScratchDir(Files.createTempDirectory(prefix));
    }

    Path path() {
        return path;
    }

    Path resolve(String name) {
        return path.resolve(name);
    }

    /** Deletes the directory and its content; says so on stderr when it cannot, and goes on. */
    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("bench: could not delete " + path + ": " + e);
        }
    }
}
