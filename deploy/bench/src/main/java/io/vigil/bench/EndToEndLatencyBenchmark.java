package io.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.KeyFormat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Latency from ingest's {@code 202} to the change being visible in the projections' REST view,
 * against a running {@code vigil serve}: registers background and tracked Universal dataplanes
 * (one unprobed inbound each), then per offered load sends {@code inbound-health} events to the
 * background ones at that rate and, about 100 times a second, flips a tracked dataplane's
 * inbound in a request of its own and polls {@code GET /api/v1/meshes/{mesh}/dataplanes/{name}}
 * until the view shows it. A tracked dataplane has one flip in flight at a time, so the expected
 * state is known. Reports p50 / p99 / p99.9 per load and the rate the background reached, and,
 * with the broker's address, the p50 and p99 of each hop of the flips ({@link LatencyHops}).
 * Before the first load, {@value #WARM_UP_SECONDS} s of the first rate, not reported, warm the JIT
 * of every process and let the projections catch up with the registrations.
 * Arguments: {@code TARGET [offered rates (1000,10000,20000,40000)] [seconds per rate (20)] [KAFKA]};
 * the highest sustainable rate is the highest one that is reached with a bounded p99. TARGET is either
 * {@code URL=TOKEN} of a running vigil, with KAFKA its brokers' address for the hops, or the path of
 * the {@code vigil} script: then it runs {@code vigil serve} (all roles, embedded broker, fresh data
 * dir) for the measurement.
 */
public final class EndToEndLatencyBenchmark {

    private static final String SECTION = "End-to-end latency";
    private static final int BACKGROUND = 2_000;
    private static final int TRACKED = 200;
    private static final int TICKS_PER_SECOND = 100;
    private static final int MAX_IN_FLIGHT = 32;
    private static final int WARM_UP_SECONDS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String token;
    private final String mesh = "bench-" + System.currentTimeMillis();
    private final AtomicLong clock = new AtomicLong(Instant.parse("2026-11-26T10:00:00Z").toEpochMilli());
    private final AtomicLong flipIds = new AtomicLong();
    /**
     * Each tracked inbound's state as last flipped, across loads: a load that started from "ready"
     * again would first flip some to the state they already have, which changes nothing.
     */
    private final boolean[] ready = new boolean[TRACKED];

    private EndToEndLatencyBenchmark(String url, String token) {
        this.url = url;
        this.token = token;
        Arrays.fill(ready, true);
    }

    /** What one offered load reached: the background's accepted rate, the failed requests, the tracked flips that completed. */
    private record Load(double reached, long errors, List<FlipTimes> flips) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: EndToEndLatencyBenchmark URL=TOKEN|VIGIL_SCRIPT [rates (1000,10000,20000,40000)] [seconds per rate (20)]"
                    + " [KAFKA (with URL=TOKEN, for the hops)]");
            System.exit(2);
        }
        String rates = args.length > 1 ? args[1] : "1000,10000,20000,40000";
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        if (args[0].contains("=")) {
            Optional<String> kafka = args.length > 3 ? Optional.of(args[3]) : Optional.empty();
            measure(args[0].substring(0, args[0].indexOf('=')), args[0].substring(args[0].indexOf('=') + 1), kafka, rates, seconds);
            return;
        }
        try (VigilScriptServe serve = VigilScriptServe.start(Path.of(args[0]))) {
            measure(serve.url(), serve.token(), Optional.of(serve.kafkaBootstrapServers()), rates, seconds);
        }
    }

    private static void measure(String url, String token, Optional<String> kafka, String rates, int seconds) throws Exception {
        EndToEndLatencyBenchmark bench = new EndToEndLatencyBenchmark(url, token);
        bench.register();
        List<Integer> offered = Arrays.stream(rates.split(",")).map(Integer::valueOf).toList();
        Load warmUp = bench.offer(offered.get(0), WARM_UP_SECONDS);
        System.out.printf("warm-up: %d s at %,d events/s offered (reached %,.0f/s), not reported%n", WARM_UP_SECONDS, offered.get(0),
                warmUp.reached());
        Optional<FlipRecords> records = kafka.map(servers -> new FlipRecords(BenchKafka.settings(servers),
                trackedKeys(i -> KeyFormat.of(bench.mesh, name(i))), trackedKeys(i -> KeyFormat.inbound(bench.mesh, name(i), port(i)))));
        try {
            for (int rate : offered) {
                bench.report(rate, bench.offer(rate, seconds), records);
            }
        } finally {
            if (records.isPresent()) {
                records.get().close();
            }
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

    /** The keys of the tracked dataplanes' records in some topic, from a dataplane's number. */
    private static Set<String> trackedKeys(IntFunction<String> key) {
        return IntStream.range(BACKGROUND, BACKGROUND + TRACKED).mapToObj(key).collect(Collectors.toSet());
    }

    private void report(int offered, Load load, Optional<FlipRecords> records) throws InterruptedException {
        String conditions = String.format(Locale.ROOT, "offered %,d events/s (reached %,.0f/s)", offered, load.reached());
        List<Double> valid = load.flips().stream().map(FlipTimes::fromAccepted).sorted().toList();
        System.out.printf("%s: %d latency samples, %d errors%n", conditions, valid.size(), load.errors());
        BenchResults.row(SECTION, "p50 " + conditions, List.of(Percentiles.of(valid, 50)), "ms", "");
        BenchResults.row(SECTION, "p99 " + conditions, List.of(Percentiles.of(valid, 99)), "ms", offered == 10_000 ? "< 50 ms at 10k/s" : "");
        BenchResults.row(SECTION, "p99.9 " + conditions, List.of(Percentiles.of(valid, 99.9)), "ms", "");
        if (records.isPresent()) {
            LatencyHops.report(SECTION, conditions, load.flips(), records.get());
        }
    }

    private Load offer(int offered, int seconds) throws Exception {
        ExecutorService pollers = Executors.newFixedThreadPool(8);
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        AtomicLong accepted = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<FlipTimes> flips = Collections.synchronizedList(new ArrayList<>());
        BlockingQueue<Integer> idle = new ArrayBlockingQueue<>(TRACKED);
        for (int t = 0; t < TRACKED; t++) {
            idle.add(t);
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
                    flipAndWatch(t, expected, errors).ifPresent(flips::add);
                    idle.add(t);
                });
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        inFlight.acquire(MAX_IN_FLIGHT);
        pollers.shutdown();
        pollers.awaitTermination(1, TimeUnit.MINUTES);
        return new Load(accepted.get() / elapsed, errors.get(), List.copyOf(flips));
    }

    /** Posts one tracked flip and polls the view until it shows it: its times, or empty on failure. */
    private Optional<FlipTimes> flipAndWatch(int tracked, boolean expected, AtomicLong errors) {
        String name = name(BACKGROUND + tracked);
        String id = "bench-flip-" + flipIds.incrementAndGet();
        try {
            HttpRequest flip = request(List.of(event("inbound-health", name,
                    ", \"id\": \"" + id + "\", \"port\": " + port(BACKGROUND + tracked) + ", \"ready\": " + expected)));
            long sent = System.currentTimeMillis();
            HttpResponse<Void> posted = http.send(flip, HttpResponse.BodyHandlers.discarding());
            long acknowledged = System.nanoTime();
            long acknowledgedMillis = System.currentTimeMillis();
            if (posted.statusCode() != 202) {
                errors.incrementAndGet();
                return Optional.empty();
            }
            HttpRequest get = HttpRequest.newBuilder(URI.create(url + "/api/v1/meshes/" + mesh + "/dataplanes/" + name)).build();
            while (System.nanoTime() - acknowledged < TimeUnit.SECONDS.toNanos(30)) {
                HttpResponse<String> view = http.send(get, HttpResponse.BodyHandlers.ofString());
                if (view.statusCode() == 200 && JSON.readTree(view.body()).path("inbounds").path(0).path("ready").asBoolean() == expected) {
                    return Optional.of(new FlipTimes(id, sent, acknowledgedMillis, System.currentTimeMillis(),
                            (System.nanoTime() - acknowledged) / 1e6));
                }
                Thread.sleep(1);
            }
        } catch (IOException e) {
            errors.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
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
}
