package io.vigil.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Every schema a top-level record has ever been written with, committed under
 * {@code src/main/resources/schema-history/<RecordName>/v1.avsc, v2.avsc, ...} and read from the
 * classpath, so that a reader resolves records written by any earlier version of vigil (see
 * schemas/README.md). Versions are numbered without gaps: loading stops at the first missing one,
 * which works the same from a folder, a jar or a native image. Immutable and thread-safe.
 */
public final class SchemaHistory {

    static final String FOLDER = "schema-history";

    private final List<Schema> versions;

    private SchemaHistory(List<Schema> versions) {
        this.versions = List.copyOf(versions);
    }

    /** The history of the record whose simple name is {@code recordName}; empty when none is committed. */
    public static SchemaHistory load(String recordName) {
        List<Schema> versions = new ArrayList<>();
        ClassLoader loader = SchemaHistory.class.getClassLoader();
        for (int version = 1; ; version++) {
            String resource = resource(recordName, version);
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    return new SchemaHistory(versions);
                }
                // A fresh parser per version: every version defines the same names.
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
    }

    /** The classpath resource of one version, e.g. {@code schema-history/DataplaneEvent/v2.avsc}. */
    public static String resource(String recordName, int version) {
        return FOLDER + "/" + recordName + "/v" + version + ".avsc";
    }

    /** The CRC-64-AVRO fingerprint of a schema's parsing canonical form: what a single-object header carries. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** All versions, oldest (v1) first. */
    public List<Schema> versions() {
        return versions;
    }

    /** Whether some version has the same fingerprint as {@code schema}. */
    public boolean contains(Schema schema) {
        long fingerprint = fingerprint(schema);
        return versions.stream().anyMatch(version -> fingerprint(version) == fingerprint);
    }
}
