package io.vigil.bench;

import io.vigil.aggregator.runtime.FleetEvents;
import io.vigil.schemas.EventJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a JSON-lines event file of the {@link FleetEvents} fleet, for timing {@code vigil replay}:
 * {@code EventFileGenerator FILE EVENTS [DATAPLANES] [INBOUNDS]} (defaults 100000 and 4).
 * Run: {@code ./vigil bench --run io.vigil.bench.EventFileGenerator /tmp/events-1m.jsonl 1000000}.
 */
public final class EventFileGenerator {

    private EventFileGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: EventFileGenerator FILE EVENTS [DATAPLANES] [INBOUNDS]");
            System.exit(2);
        }
        long events = Long.parseLong(args[1]);
        int dataplanes = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int inbounds = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        FleetEvents fleet = new FleetEvents(dataplanes, inbounds, 42);
        long written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[0]), StandardCharsets.UTF_8)) {
            for (var event : fleet.bootstrap()) {
                if (written++ == events) {
                    break;
                }
                out.write(EventJson.renderText(event));
                out.newLine();
            }
            for (; written < events; written++) {
                out.write(EventJson.renderText(fleet.next()));
                out.newLine();
            }
        }
        System.out.println("wrote " + written + " events to " + args[0]);
    }
}
