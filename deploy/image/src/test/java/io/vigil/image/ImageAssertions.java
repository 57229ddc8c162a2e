package io.vigil.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/** What every vigil image must be, whatever runtime and application it packs. */
final class ImageAssertions {

    private ImageAssertions() {
    }

    static void assertVigilImage(OciTarball image) {
        JsonNode config = image.config().path("config");
        assertThat(image.index().path("manifests").get(0).path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(config.path("User").asText()).as("runs as the vigil user, never root").isEqualTo(VigilImage.USER + ":" + VigilImage.USER);
        assertThat(strings(config.path("Entrypoint"))).startsWith("/opt/java/bin/java").endsWith("-jar", "/opt/vigil/quarkus-run.jar");
        assertThat(strings(config.path("Cmd"))).containsExactly("serve");
        assertThat(config.path("ExposedPorts").has(VigilImage.HTTP_PORT + "/tcp")).as("exposes the HTTP port").isTrue();
        assertThat(strings(config.path("Env"))).contains("VIGIL_DATA_DIR=/var/lib/vigil")
                .as("the app's loopback default stays; a deployment widens it explicitly")
                .noneMatch(variable -> variable.startsWith("QUARKUS_HTTP_HOST="));

        Map<String, TarArchiveEntry> files = image.files();
        assertThat(files.get("opt/java/bin/java").getMode() & 0111).as("java is executable").isNotZero();
        assertThat(files).containsKeys("opt/vigil/quarkus-run.jar", "etc/passwd", "tmp");
        assertThat(files.keySet()).as("no embedded broker: Kafka comes from KAFKA_BOOTSTRAP_SERVERS")
                .noneMatch(path -> path.startsWith("opt/vigil/embedded-kafka"));
        TarArchiveEntry dataDir = files.get("var/lib/vigil");
        assertThat(dataDir.isDirectory()).isTrue();
        assertThat(dataDir.getLongUserId()).as("the data dir belongs to the vigil user").isEqualTo(Long.parseLong(VigilImage.USER));
        assertThat(image.layers().get(image.layers().size() - 1).keySet()).as("vigil's own code changes most, so it is the last layer")
                .contains("opt/vigil/quarkus-run.jar").anyMatch(path -> path.startsWith("opt/vigil/lib/main/io.vigil."));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
