package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.avro.CurrentDataplaneSpec;
import io.vigil.avro.DataplaneCheckpoint;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.InboundChange;
import io.vigil.avro.MembershipUpdate;
import io.vigil.avro.ProxyChange;
import io.vigil.avro.ServiceChange;
import io.vigil.avro.ServiceCheckpoint;
import io.vigil.avro.ServiceEndpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards the wire format: every top-level record's current schema must be the newest committed
 * version of its history (a changed schema needs a new vN.avsc), and must read every older one.
 * See schemas/README.md.
 */
class SchemaHistoryTest {

    /** Every record that is the value of a topic. */
    static final List<Class<?>> RECORDS = List.of(
            DataplaneEvent.class, InboundChange.class, ProxyChange.class, ServiceChange.class, MembershipUpdate.class,
            DataplaneCheckpoint.class, ServiceCheckpoint.class, CurrentDataplaneSpec.class, ServiceEndpoints.class);

    private static final Path CANDIDATES = Path.of("target", "schema-history-candidates");

    static Stream<Class<?>> records() {
        return RECORDS.stream();
    }

    @ParameterizedTest
    @MethodSource("records")
    void theCurrentSchemaIsTheNewestVersion(Class<?> record) throws IOException {
        Schema current = SpecificData.get().getSchema(record);
        List<Schema> versions = SchemaHistory.load(record.getSimpleName()).versions();

        List<String> violations = violations(current, versions);

        if (!violations.isEmpty()) {
            Path candidate = CANDIDATES.resolve(record.getSimpleName()).resolve("v" + (versions.size() + 1) + ".avsc");
            Files.createDirectories(candidate.getParent());
            Files.writeString(candidate, current.toString(true) + "\n");
            violations.add("the current schema is in " + candidate.toAbsolutePath() + ": copy it to src/main/resources/"
                    + SchemaHistory.resource(record.getSimpleName(), versions.size() + 1));
        }
        assertThat(violations).as(record.getSimpleName()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("records")
    void theCurrentSchemaReadsEveryVersion(Class<?> record) {
        Schema current = SpecificData.get().getSchema(record);

        assertThat(unreadable(current, SchemaHistory.load(record.getSimpleName()).versions())).as(record.getSimpleName()).isEmpty();
    }

    @Test
    void everyHistoryFolderIsAListedRecord() throws IOException {
        try (Stream<Path> folders = Files.list(Path.of("src", "main", "resources", SchemaHistory.FOLDER))) {
            assertThat(folders.map(folder -> folder.getFileName().toString()))
                    .as("folders under schema-history; list each record in RECORDS")
                    .containsExactlyInAnyOrderElementsOf(RECORDS.stream().map(Class::getSimpleName).collect(Collectors.toList()));
        }
    }

    @Test
    void aChangedSchemaNeedsANewVersion() {
        List<Schema> versions = SchemaHistory.load("InboundChange").versions();
        Schema withDefault = withFirstField(InboundChange.getClassSchema(), "{\"name\": \"weight\", \"type\": \"int\", \"default\": 1}");

        assertThat(violations(withDefault, versions)).singleElement().asString()
                .contains("differs from the newest version v" + versions.size());
        assertThat(unreadable(withDefault, versions)).isEmpty();
    }

    @Test
    void anIncompatibleChangeIsUnreadable() {
        List<Schema> versions = SchemaHistory.load("InboundChange").versions();
        Schema withoutDefault = withFirstField(InboundChange.getClassSchema(), "{\"name\": \"weight\", \"type\": \"int\"}");

        // One complaint per committed version: none of them has the field.
        assertThat(unreadable(withoutDefault, versions)).hasSize(versions.size())
                .first().asString().contains("cannot read v1", "weight");
    }

    @Test
    void aRecordWithoutHistoryIsReported() {
        assertThat(violations(InboundChange.getClassSchema(), List.of())).singleElement().asString().contains("no schema history");
    }

    private static List<String> violations(Schema current, List<Schema> versions) {
        List<String> violations = new ArrayList<>();
        if (versions.isEmpty()) {
            violations.add("no schema history");
        } else if (SchemaHistory.fingerprint(versions.get(versions.size() - 1)) != SchemaHistory.fingerprint(current)) {
            violations.add("the current schema differs from the newest version v" + versions.size());
        }
        return violations;
    }

    private static List<String> unreadable(Schema current, List<Schema> versions) {
        List<String> unreadable = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, versions.get(i));
            if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                unreadable.add("the current schema cannot read v" + (i + 1) + ": " + result.getResult().getIncompatibilities());
            }
        }
        return unreadable;
    }

    /** {@code schema} with one more field, as a developer might add it. */
    private static Schema withFirstField(Schema schema, String field) {
        String json = schema.toString();
        int fields = json.indexOf("\"fields\":[") + "\"fields\":[".length();
        return new Schema.Parser().parse(json.substring(0, fields) + field + "," + json.substring(fields));
    }
}
