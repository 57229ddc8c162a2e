package io.vigil.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Files that hold secrets: created readable and writable by their owner only ({@code rw-------})
 * before a byte is written, and replaced atomically, so a reader sees the old file or the new one,
 * never half of one. Stateless.
 */
final class OwnerOnlyFiles {

    private OwnerOnlyFiles() {
    }

    /** Writes {@code text} (ISO 8859-1, as properties files are read) to {@code file} atomically. */
    static void write(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, text, StandardCharsets.ISO_8859_1);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * A properties file's text, one {@code name=value} per line in the given order, escaped as
     * {@link java.util.Properties#load(java.io.InputStream)} reads it (but without the date comment
     * and the needless {@code \=} that {@link java.util.Properties#store} writes).
     */
    static String properties(String comment, Map<String, String> properties) {
        StringBuilder text = new StringBuilder("# ").append(comment).append('\n');
        properties.forEach((name, value) -> text.append(escape(name, true)).append('=').append(escape(value, false)).append('\n'));
        return text.toString();
    }

    private static String escape(String text, boolean name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else if ((name && (c == '=' || c == ':' || c == ' ' || c == '#' || c == '!')) || (i == 0 && c == ' ')) {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
