package io.vigil.app;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.aggregator.core.Event;
import io.vigil.aggregator.core.HealthChange;
import io.vigil.aggregator.core.HealthModel;
import io.vigil.aggregator.core.HealthSnapshot;
import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.core.Source;
import io.vigil.aggregator.records.EventRecords;
import io.vigil.aggregator.records.InvalidEventException;
import io.vigil.aggregator.replay.ChangeJson;
import io.vigil.aggregator.replay.EventLogReader;
import io.vigil.aggregator.replay.SnapshotJson;
import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.kafka.KafkaClients;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil replay}: folds an event log with the same rules as the aggregator and prints the
 * health it leads to (SPEC section 5), or with {@code --transitions} every change in order with
 * its cause: the audit trail. Needs no broker for a file.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Folds an event log and prints the final health, or every change with its cause.")
final class ReplayCommand implements Callable<Integer> {

    private static final int MAX_REPORTED = 100;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--events", paramLabel = "FILE", description = "A JSON-lines event file ('-' for stdin).")
        Path events;

        @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT", description = "Replay the live event log topic.")
        String bootstrapServers;
    }

    @Mixin
    KafkaConfigOption kafkaConfig;

    @Option(names = "--until", paramLabel = "TIME",
            description = "With --bootstrap-server: only events appended up to TIME (ISO-8601, e.g. 2026-11-26T10:42:00Z).")
    String until;

    @Option(names = "--format", paramLabel = "json|table", description = "Output format (default: ${DEFAULT-VALUE}).")
    Format format = Format.json;

    @Option(names = "--transitions", description = "Print every change in order as JSON lines, with its cause.")
    boolean transitions;

    @Option(names = "--skip-invalid", description = "Report bad lines on stderr and go on (exit status stays 0).")
    boolean skipInvalid;

    enum Format { json, table }

    private final HealthModel model = new HealthModel();
    private final EventRecords records = new EventRecords(ProbeDefaults.KUMA);
    private PrintStream err;
    private long invalid;
    private TransitionWriter transitionWriter;

    @Override
    public Integer call() throws IOException {
        Instant untilTime = parseUntil();
        err = System.err;
        OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
        if (transitions) {
            transitionWriter = new TransitionWriter(out);
        }
        if (input.events != null) {
            replayFile(input.events);
        } else {
            new EventLogReader(new KafkaClients(kafkaConfig.settings(input.bootstrapServers, "--bootstrap-server"))).read(untilTime, this::fold,
                    poison -> reject("partition " + poison.source().partition() + " offset " + poison.source().offset() + ": " + poison.reason()));
        }
        if (invalid > MAX_REPORTED) {
            err.println("... and " + (invalid - MAX_REPORTED) + " more invalid events");
        }
        boolean failed = invalid > 0 && !skipInvalid;
        if (transitionWriter != null) {
            transitionWriter.close();
        } else if (!failed) {
            model.endBatch();
            HealthSnapshot snapshot = model.snapshot();
            if (format == Format.json) {
                SnapshotJson.write(snapshot, out);
            } else {
                out.write(SnapshotTable.render(snapshot).getBytes(StandardCharsets.UTF_8));
            }
        }
        out.flush();
        return failed ? ExitCodes.BAD_INPUT : ExitCodes.OK;
    }

    private Instant parseUntil() {
        if (until == null) {
            return null;
        }
        if (input.bootstrapServers == null) {
            throw new BadInputException("--until goes with --bootstrap-server");
        }
        try {
            return Instant.parse(until);
        } catch (DateTimeParseException e) {
            throw new BadInputException("--until: expected an ISO-8601 instant such as 2026-11-26T10:42:00Z, got '" + until + "'");
        }
    }

    private void replayFile(Path file) throws IOException {
        String name = file.toString().equals("-") ? "stdin" : file.getFileName().toString();
        Reader reader;
        try {
            reader = file.toString().equals("-")
                    ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                    : Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException("--events: no such file: " + file);
        }
        try (ParsedLines lines = ParsedLines.start(reader, name, records)) {
            for (List<ParsedLines.Line> batch = lines.next(); !batch.isEmpty(); batch = lines.next()) {
                for (ParsedLines.Line line : batch) {
                    if (line.rejection() != null) {
                        reject(line.rejection());
                    } else {
                        fold(line.event());
                    }
                }
            }
        }
    }

    /**
     * The audit trail needs every service change, so each event is its own batch; the final state
     * alone is one batch, in which each service's changes are coalesced into its end state.
     */
    private void fold(DataplaneEvent record, Source source) {
        Event event;
        try {
            event = records.toEvent(record, source);
        } catch (InvalidEventException e) {
            reject("partition " + source.partition() + " offset " + source.offset() + ": " + e.getMessage());
            return;
        }
        fold(event);
    }

    private void fold(Event event) {
        if (transitionWriter == null) {
            model.fold(event);
        } else if (invalid == 0 || skipInvalid) {
            transitionWriter.write(model.apply(event));
        }
    }

    private void reject(String message) {
        invalid++;
        if (invalid <= MAX_REPORTED) {
            err.println(message);
        }
    }

    /** Every change as one JSON line, through {@link io.vigil.schemas.HealthJson}. */
    private static final class TransitionWriter {

        private final JsonGenerator json;

        TransitionWriter(OutputStream out) throws IOException {
            json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
            json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            json.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
        }

        void write(List<HealthChange> changes) {
            try {
                for (HealthChange change : changes) {
                    ChangeJson.write(json, change);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void close() throws IOException {
            json.writeRaw('\n');
            json.close();
        }
    }
}
