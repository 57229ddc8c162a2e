package io.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Latency from ingest's {@code 202} to the change being visible in the projections' REST view,
 * against a running {@code vigil serve}: registers background and tracked Universal dataplanes
 * (one unprobed inbound each), then per offered load sends {@code inbound-health} events to the
 * background ones at that rate and, about 100 times a second, flips a tracked dataplane's
 * inbound in a request of its own and polls {@code GET /api/v1/meshes/{mesh}/dataplanes/{name}}
 * until the view shows it. A tracked dataplane has one flip in flight at a time, so the expected
 * state is known. Reports p50 / p99 / p99.9 per load and the rate the background reached.
 * Arguments: {@code TARGET [offered rates (1000,10000,20000,40000)] [seconds per rate (20)]}; the
 * highest sustainable rate is the highest one that is reached with a bounded p99. TARGET is either
 * {@code URL=TOKEN} of a running vigil, or the path of the {@code vigil} script: then it runs
 * {@code vigil serve} (all roles, embedded broker, fresh data dir) for the measurement.
 */
public final class EndToEndLatencyBenchmark {

    private static final String SECTION = "End-to-end latency";
    private static final int BACKGROUND = 2_000;
    private static final int TRACKED = 200;
    private static final int TICKS_PER_SECOND = 100;
    private static final int MAX_IN_FLIGHT = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String token;
    private final String mesh = "bench-" + System.currentTimeMillis();
    private final AtomicLong clock = new AtomicLong(Instant.parse("2026-11-26T10:00:00Z").toEpochMilli());

    private EndToEndLatencyBenchmark(String url, String token) {
        this.url = url;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: EndToEndLatencyBenchmark URL=TOKEN|VIGIL_SCRIPT [rates (1000,10000,20000,40000)] [seconds per rate (20)]");
            System.exit(2);
        }
        String rates = args.length > 1 ? args[1] : "1000,10000,20000,40000";
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        if (args[0].contains("=")) {
            measure(args[0].substring(0, args[0].indexOf('=')), args[0].substring(args[0].indexOf('=') + 1), rates, seconds);
            return;
        }
        try (VigilScriptServe serve = VigilScriptServe.start(Path.of(args[0]))) {
            measure(serve.url(), serve.token(), rates, seconds);
        }
    }

    private static void measure(String url, String token, String rates, int seconds) throws Exception {
        EndToEndLatencyBenchmark bench = new EndToEndLatencyBenchmark(url, token);
        bench.register();
        for (String rate : rates.split(",")) {
            bench.run(Integer.parseInt(rate), seconds);
        }
    }

    private void register() throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < BACKGROUND + TRACKED; i++) {
            String name = name(i);
            events.add(event("dataplane-upserted", name, ", \"environment\": \"universal\", \"spec\": {\"networking\": {\"address\": \"127.0.0.1\","
                    + " \"inbound\": [{\"port\": " + port(i) + ", \"health\": {\"ready\": true},"
                    + " \"tags\": {\"kuma.io/service\": \"svc-" + (i % 50) + "\"}}]}}"));
            events.add(event("stream-connected", name, ", \"instance\": \"cp-1\""));
            if (events.size() >= 1_000) {
                post(events);
                events.clear();
            }
        }
        post(events);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (dataplanesVisible() < BACKGROUND + TRACKED) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the registered dataplanes did not all appear in 5 minutes");
            }
            Thread.sleep(200);
        }
    }

    private void run(int offered, int seconds) throws Exception {
        ExecutorService pollers = Executors.newFixedThreadPool(8);
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        AtomicLong accepted = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        BlockingQueue<Integer> idle = new ArrayBlockingQueue<>(TRACKED);
        boolean[] ready = new boolean[TRACKED];
        for (int t = 0; t < TRACKED; t++) {
            idle.add(t);
            ready[t] = true;
        }
        SplittableRandom random = new SplittableRandom(offered);
        int perTick = Math.max(1, offered / TICKS_PER_SECOND);
        long tickNanos = TimeUnit.SECONDS.toNanos(1) / TICKS_PER_SECOND;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        for (long tick = start; tick < end; tick += tickNanos) {
            long wait = tick - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            List<String> batch = new ArrayList<>(perTick);
            for (int i = 0; i < perTick; i++) {
                int dataplane = random.nextInt(BACKGROUND);
                batch.add(event("inbound-health", name(dataplane), ", \"port\": " + port(dataplane) + ", \"ready\": " + random.nextBoolean()));
            }
            inFlight.acquire();
            http.sendAsync(request(batch), HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                inFlight.release();
                if (failure == null && response.statusCode() == 202) {
                    accepted.addAndGet(batch.size());
                } else {
                    errors.incrementAndGet();
                }
            });
            Integer tracked = idle.poll();
            if (tracked != null) {
                int t = tracked;
                ready[t] = !ready[t];
                boolean expected = ready[t];
                pollers.execute(() -> {
                    latencies.add(flipAndWatch(t, expected, errors));
                    idle.add(t);
                });
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        inFlight.acquire(MAX_IN_FLIGHT);
        pollers.shutdown();
        pollers.awaitTermination(1, TimeUnit.MINUTES);
        double reached = accepted.get() / elapsed;
        String load = String.format(Locale.ROOT, "offered %,d events/s (reached %,.0f/s)", offered, reached);
        List<Double> valid = latencies.stream().filter(l -> l >= 0).sorted().toList();
        System.out.printf("%s: %d latency samples, %d errors%n", load, valid.size(), errors.get());
        BenchResults.row(SECTION, "p50 " + load, List.of(percentile(valid, 50)), "ms", "");
        BenchResults.row(SECTION, "p99 " + load, List.of(percentile(valid, 99)), "ms", offered == 10_000 ? "< 50 ms at 10k/s" : "");
        BenchResults.row(SECTION, "p99.9 " + load, List.of(percentile(valid, 99.9)), "ms", "");
    }

    /** Posts one tracked flip and polls the view until it shows it: milliseconds from the 202, or -1 on failure. */
    private double flipAndWatch(int tracked, boolean expected, AtomicLong errors) {
        String name = name(BACKGROUND + tracked);
        try {
            HttpResponse<Void> posted = http.send(request(List.of(event("inbound-health", name,
                    ", \"port\": " + port(BACKGROUND + tracked) + ", \"ready\": " + expected))),
                    HttpResponse.BodyHandlers.discarding());
            long acknowledged = System.nanoTime();
            if (posted.statusCode() != 202) {
                errors.incrementAndGet();
                return -1;
            }
            HttpRequest get = HttpRequest.newBuilder(URI.create(url + "/api/v1/meshes/" + mesh + "/dataplanes/" + name)).build();
            while (System.nanoTime() - acknowledged < TimeUnit.SECONDS.toNanos(30)) {
                HttpResponse<String> view = http.send(get, HttpResponse.BodyHandlers.ofString());
                if (view.statusCode() == 200 && JSON.readTree(view.body()).path("inbounds").path(0).path("ready").asBoolean() == expected) {
                    return (System.nanoTime() - acknowledged) / 1e6;
                }
                Thread.sleep(1);
            }
        } catch (IOException e) {
            errors.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    private int dataplanesVisible() throws IOException, InterruptedException {
        HttpResponse<String> meshes = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/meshes")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode entry : JSON.readTree(meshes.body())) {
            if (entry.path("mesh").asText().equals(mesh)) {
                return entry.path("dataplanes").path("total").asInt();
            }
        }
        return 0;
    }

    private void post(List<String> events) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(events), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("POST /api/v1/events answered " + response.statusCode() + ": " + response.body());
        }
    }

    private HttpRequest request(List<String> events) {
        return HttpRequest.newBuilder(URI.create(url + "/api/v1/events"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", events) + "]")).build();
    }

    private String event(String type, String dataplane, String fields) {
        return "{\"type\": \"" + type + "\", \"mesh\": \"" + mesh + "\", \"dataplane\": \"" + dataplane + "\", \"time\": \""
                + Instant.ofEpochMilli(clock.incrementAndGet()) + "\"" + fields + "}";
    }

    private static String name(int i) {
        return "dp-" + i;
    }

    private static int port(int dataplane) {
        return 10_000 + dataplane % 50_000;
    }

    private static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1));
    }
}
