package io.vigil.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The vigil image: one image for every role ({@code vigil serve --roles ...}), from scratch, with a
 * Java runtime, the native libraries it links against, and the Quarkus application laid out as
 * {@code target/quarkus-app}. It runs as the unprivileged user {@value #USER} and keeps nothing
 * but its data dir and {@code /tmp} writable, so it runs on a read-only root filesystem.
 *
 * <p>Layers go from the least to the most often changed, so a rebuild after a code change
 * replaces only the last one. The embedded broker is left out: in a cluster Kafka is a
 * Kafka cluster ({@code KAFKA_BOOTSTRAP_SERVERS}), and without one {@code vigil serve} says so.
 *
 * <p>Not thread-safe; build one image per instance, on one thread (Jib uses its own threads inside).
 */
public final class VigilImage {

    /** uid and gid of the vigil user (the same as Red Hat's and Quarkus' Java images use). */
    public static final String USER = "185";
    /** vigil serve's default HTTP port (SPEC section 6). */
    public static final int HTTP_PORT = 8080;
    public static final AbsoluteUnixPath JAVA_HOME = AbsoluteUnixPath.get("/opt/java");
    public static final AbsoluteUnixPath APP = AbsoluteUnixPath.get("/opt/vigil");
    public static final AbsoluteUnixPath DATA_DIR = AbsoluteUnixPath.get("/var/lib/vigil");
    public static final AbsoluteUnixPath TMP = AbsoluteUnixPath.get("/tmp");
    /** The JVM flags the entrypoint starts vigil with: heap from the container's memory limit, fail fast on OOM. */
    public static final List<String> JVM_OPTIONS = List.of("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
    /** vigil's own jars in quarkus-app/lib/main change with every build; the other libraries rarely. */
    private static final Predicate<Path> VIGIL_JAR = jar -> jar.getFileName().toString().startsWith("io.vigil.");

    private final Path runtime;
    private final Map<String, Path> nativeLibraries;
    private final Path app;
    private final Path work;

    /**
     * @param runtime a Java runtime image (jlink output): becomes {@link #JAVA_HOME}
     * @param nativeLibraries host files the runtime links against, by the path they must have in the image
     * @param app the Quarkus fast-jar folder ({@code target/quarkus-app})
     * @param work a folder for Jib's caches and generated files
     */
    public VigilImage(Path runtime, Map<String, Path> nativeLibraries, Path app, Path work) {
        this.runtime = runtime;
        this.nativeLibraries = new TreeMap<>(nativeLibraries);
        this.app = app;
        this.work = work;
    }

    /** Writes the image as an OCI tarball named {@code name} to {@code tarball}. */
    public JibContainer writeTarball(String name, String version, Path tarball) throws IOException {
        try {
            Containerizer to = Containerizer.to(TarImage.at(tarball).named(name))
                    .setOfflineMode(true)
                    .setBaseImageLayersCache(work.resolve("cache/base"))
                    .setApplicationLayersCache(work.resolve("cache/application"))
                    .setToolName("vigil-image")
                    .setToolVersion(version)
                    .addEventHandler(LogEvent.class, event -> {
                        if (event.getLevel() == LogEvent.Level.ERROR || event.getLevel() == LogEvent.Level.WARN) {
                            System.err.println("jib: " + event.getMessage());
                        }
                    });
            return plan(version).containerize(to);
        } catch (InvalidImageReferenceException e) {
            throw new IllegalArgumentException("not an image name: " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing the image", e);
        } catch (Exception e) {
            throw new IOException("cannot write the image: " + e.getMessage(), e);
        }
    }

    /** The layers and the container configuration. */
    JibContainerBuilder plan(String version) throws IOException {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("JAVA_HOME", JAVA_HOME.toString());
        environment.put("PATH", JAVA_HOME.resolve("bin") + ":/usr/bin:/bin");
        environment.put("VIGIL_DATA_DIR", DATA_DIR.toString());
        List<String> entrypoint = Stream.of(List.of(JAVA_HOME.resolve("bin/java").toString()), JVM_OPTIONS,
                List.of("-jar", APP.resolve("quarkus-run.jar").toString())).flatMap(List::stream).toList();
        return Jib.fromScratch()
                .setFormat(ImageFormat.OCI)
                .addFileEntriesLayer(runtimeLayer())
                .addFileEntriesLayer(nativeLibrariesLayer())
                .addFileEntriesLayer(systemLayer())
                .addFileEntriesLayer(appLayer("dependencies", VIGIL_JAR.negate(), false))
                .addFileEntriesLayer(appLayer("application", VIGIL_JAR, true))
                .setEntrypoint(entrypoint)
                .setProgramArguments("serve")
                .setEnvironment(environment)
                .setExposedPorts(Port.tcp(HTTP_PORT))
                .setVolumes(DATA_DIR, TMP)
                .setUser(USER + ":" + USER)
                .setWorkingDirectory(DATA_DIR)
                .addLabel("org.opencontainers.image.title", "vigil")
                .addLabel("org.opencontainers.image.version", version)
                .addLabel("org.opencontainers.image.description", "Health of a service mesh: vigil serve --roles ...");
    }

    private FileEntriesLayer runtimeLayer() throws IOException {
        return FileEntriesLayer.builder().setName("java-runtime")
                .addEntryRecursive(runtime, JAVA_HOME, (source, target) -> permissionsOf(source))
                .build();
    }

    private FileEntriesLayer nativeLibrariesLayer() throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("native-libraries");
        for (Map.Entry<String, Path> library : nativeLibraries.entrySet()) {
            layer.addEntry(library.getValue(), AbsoluteUnixPath.get(library.getKey()), FilePermissions.fromOctalString("755"));
        }
        return layer.build();
    }

    /** The vigil user, and the folders it may write (mounted over in Kubernetes, see deploy/kubernetes). */
    private FileEntriesLayer systemLayer() throws IOException {
        Path etc = work.resolve("etc");
        Path emptyDir = work.resolve("empty");
        Files.createDirectories(etc);
        Files.createDirectories(emptyDir);
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/sbin/nologin\n"
                + "vigil:x:" + USER + ":" + USER + ":vigil:" + DATA_DIR + ":/sbin/nologin\n", StandardCharsets.UTF_8);
        Files.writeString(etc.resolve("group"), "root:x:0:\nvigil:x:" + USER + ":\n", StandardCharsets.UTF_8);
        Instant epoch = FileEntriesLayer.DEFAULT_MODIFICATION_TIME;
        String owner = USER + ":" + USER;
        return FileEntriesLayer.builder().setName("system")
                .addEntry(etc.resolve("passwd"), AbsoluteUnixPath.get("/etc/passwd"))
                .addEntry(etc.resolve("group"), AbsoluteUnixPath.get("/etc/group"))
                .addEntry(emptyDir, DATA_DIR, FilePermissions.fromOctalString("700"), epoch, owner)
                // For a runtime that mounts nothing there; Jib's permissions have no sticky bit.
                .addEntry(emptyDir, TMP, FilePermissions.fromOctalString("777"), epoch, "0:0")
                .build();
    }

    /**
     * Part of quarkus-app (never its embedded-kafka folder): the jars under {@code lib/} that
     * {@code select} accepts and, with {@code launcher}, quarkus-run.jar, {@code app/} and {@code quarkus/}.
     */
    private FileEntriesLayer appLayer(String name, Predicate<Path> select, boolean launcher) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        Path libs = app.resolve("lib");
        try (Stream<Path> files = Files.walk(libs)) {
            for (Path jar : files.filter(Files::isRegularFile).filter(select).sorted().toList()) {
                layer.addEntry(jar, APP.resolve(app.relativize(jar).toString().replace('\\', '/')));
            }
        }
        if (launcher) {
            layer.addEntry(app.resolve("quarkus-run.jar"), APP.resolve("quarkus-run.jar"));
            for (String folder : List.of("app", "quarkus")) {
                layer.addEntryRecursive(app.resolve(folder), APP.resolve(folder));
            }
        }
        return layer.build();
    }

    /** The host file's permissions, so the runtime's executables stay executable. */
    private static FilePermissions permissionsOf(Path source) {
        try {
            return FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(source));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
