package io.vigil.image;

import static io.vigil.image.ImageAssertions.assertVigilImage;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds an image from a stand-in runtime and application, offline, and reads the tarball back. */
class VigilImageTest {

    @TempDir
    Path tmp;

    @Test
    void writesAnOciTarballThatRunsVigilServeAsANonRootUser() throws IOException {
        Path runtime = file(tmp.resolve("runtime/bin/java"), "rwxr-xr-x").getParent().getParent();
        Path app = tmp.resolve("quarkus-app");
        file(app.resolve("quarkus-run.jar"), "rw-r--r--");
        file(app.resolve("lib/boot/org.jboss.logmanager.jboss-logmanager-3.1.jar"), "rw-r--r--");
        file(app.resolve("lib/main/io.vigil.vigil-schemas-0.1.0-SNAPSHOT.jar"), "rw-r--r--");
        file(app.resolve("lib/main/org.apache.kafka.kafka-clients-4.1.2.jar"), "rw-r--r--");
        file(app.resolve("app/vigil-app-0.1.0-SNAPSHOT.jar"), "rw-r--r--");
        file(app.resolve("quarkus/quarkus-application.dat"), "rw-r--r--");
        file(app.resolve("embedded-kafka/kafka_2.13-4.1.2.jar"), "rw-r--r--");
        Path libc = file(tmp.resolve("host/libc.so.6"), "rw-r--r--");
        Path tarball = tmp.resolve("vigil-image.tar");

        new VigilImage(runtime, Map.of("/lib/x86_64-linux-gnu/libc.so.6", libc), app, tmp.resolve("work"))
                .writeTarball("vigil:test", "test", tarball);

        OciTarball image = OciTarball.read(tarball);
        assertVigilImage(image);
        assertThat(image.name()).isEqualTo("vigil:test");
        assertThat(image.files()).containsKeys("lib/x86_64-linux-gnu/libc.so.6", "opt/vigil/lib/boot/org.jboss.logmanager.jboss-logmanager-3.1.jar",
                "opt/vigil/app/vigil-app-0.1.0-SNAPSHOT.jar", "opt/vigil/quarkus/quarkus-application.dat");
        assertThat(image.config().path("config").path("Labels").path("org.opencontainers.image.version").asText()).isEqualTo("test");
    }

    private static Path file(Path path, String permissions) throws IOException {
        Files.createDirectories(path.getParent());
        Files.writeString(path, path.getFileName().toString());
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        return path;
    }
}
