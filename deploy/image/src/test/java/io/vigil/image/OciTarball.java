package io.vigil.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An OCI image layout tarball as Jib writes it, read back: the index, the image's configuration
 * and each layer's file list. Reads the whole tarball once; immutable afterwards.
 *
 * @param index index.json
 * @param config the image configuration blob
 * @param layers each layer's entries, in order, by path without the leading slash
 */
record OciTarball(JsonNode index, JsonNode config, List<Map<String, TarArchiveEntry>> layers) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static OciTarball read(Path tarball) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                files.put(entry.getName(), tar.readAllBytes());
            }
        }
        JsonNode index = JSON.readTree(files.get("index.json"));
        JsonNode manifest = JSON.readTree(blob(files, index.path("manifests").get(0).path("digest").asText()));
        JsonNode config = JSON.readTree(blob(files, manifest.path("config").path("digest").asText()));
        List<Map<String, TarArchiveEntry>> layers = new ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
            layers.add(entries(new GZIPInputStream(new ByteArrayInputStream(blob(files, layer.path("digest").asText())))));
        }
        return new OciTarball(index, config, layers);
    }

    /** The image's name as the index records it. */
    String name() {
        return index.path("manifests").get(0).path("annotations").path("org.opencontainers.image.ref.name").asText();
    }

    /** Every path in the image, mapped to the entry of the last layer that has it. */
    Map<String, TarArchiveEntry> files() {
        Map<String, TarArchiveEntry> files = new LinkedHashMap<>();
        layers.forEach(files::putAll);
        return files;
    }

    private static byte[] blob(Map<String, byte[]> files, String digest) {
        byte[] blob = files.get("blobs/sha256/" + digest.substring("sha256:".length()));
        if (blob == null) {
            throw new IllegalStateException("the tarball has no blob " + digest);
        }
        return blob;
    }

    private static Map<String, TarArchiveEntry> entries(InputStream layer) throws IOException {
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(layer)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                entries.put(entry.getName().replaceAll("^/|/$", ""), entry);
            }
        }
        return entries;
    }
}
