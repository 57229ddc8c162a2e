package io.vigil.bench;

import io.vigil.aggregator.runtime.ChangeTopicReader;
import io.vigil.aggregator.runtime.PipelineHarness;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.ServiceChange;
import io.vigil.schemas.EventJson;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One service of {@code dataplanes} x 4 endpoints through both stages in a {@link StagesProcess}:
 * the time from the first event to the service's change with every endpoint counted, the time
 * until a one-dataplane service sent after it is visible, the largest record of the service
 * topics and of the service changelog (none may grow with the service), and, per repetition,
 * SIGKILL to both stages restored.
 * Arguments: {@code [dataplanes (12500)] [repetitions (3)]}.
 * Run: {@code ./vigil bench --only large-service}, or {@code ./vigil bench --run io.vigil.bench.LargeServiceBenchmark 12500}.
 */
public final class LargeServiceBenchmark {

    private static final String SECTION = "Scale (one large service)";
    private static final int INBOUNDS = 4;

    private LargeServiceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int dataplanes = args.length > 0 ? Integer.parseInt(args[0]) : 12_500;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int endpoints = dataplanes * INBOUNDS;
        ScratchDir dir = ScratchDir.create("vigil-large-service-bench");
        Path log = dir.resolve("aggregator.log");
        String size = String.format("%,d endpoints (%,d dataplanes x %d)", endpoints, dataplanes, INBOUNDS);
        try (BrokerProcess broker = BrokerProcess.start(dir.resolve("kafka"));
             PipelineHarness harness = new PipelineHarness(broker.settings(), PipelineBenchmark.SETTINGS)) {
            StagesProcess aggregator = StagesProcess.startAndAwaitReady(broker.bootstrapServers(), log);
            List<Double> untilVisible = new ArrayList<>();
            List<Double> smallAfter = new ArrayList<>();
            for (int run = 0; run < repetitions; run++) {
                String mesh = "large-" + run;
                long start = System.nanoTime();
                harness.send(service(mesh, "large", dataplanes, INBOUNDS));
                harness.send(service(mesh, "small", 1, 1));
                double[] seen = awaitBoth(harness, mesh, endpoints);
                untilVisible.add((seen[0] - start) / 1e9);
                smallAfter.add((seen[1] - start) / 1e9);
                System.out.printf("  run %d: the large service whole after %.2f s, the small one after %.2f s%n", run + 1,
                        untilVisible.get(run), smallAfter.get(run));
            }
            BenchResults.row(SECTION, "first event to the service's change with all " + size, untilVisible, "s", "");
            BenchResults.row(SECTION, "first event of the large service to a small service sent after it", smallAfter, "s", "");
            for (String topic : List.of(Topics.SERVICE_HEALTH.name(), Topics.SERVICE_ENDPOINTS.name(), Topics.SERVICE_STATE.name())) {
                double largest = ChangeTopicReader.largestValue(broker.bootstrapServers(), topic, "large-0");
                BenchResults.row(SECTION, "largest record of " + topic + ", service of " + size, List.of(largest), "bytes", "bounded");
            }
            List<Double> restore = RestoreAfterKillBenchmark.killAndRestore(aggregator, broker.bootstrapServers(), log, repetitions);
            BenchResults.row(SECTION, "SIGKILL to both stages restored, " + repetitions + " services of " + size, restore, "s", "< 10 s");
        }
        dir.close();
    }

    /** Nanosecond times at which the large service showed {@code endpoints} endpoints and the small one its member. */
    private static double[] awaitBoth(PipelineHarness harness, String mesh, int endpoints) {
        double[] seen = {0, 0};
        try (Consumer<byte[], byte[]> consumer = harness.clients().consumer(ClientOptions.committedReader("large-service-bench", 500))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SERVICE_HEALTH.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            while (seen[0] == 0 || seen[1] == 0) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    ServiceChange change = record.value() == null ? null : Topics.SERVICE_HEALTH.deserialize(record.value());
                    if (change == null || change.getState() == null || !change.getMesh().equals(mesh)) {
                        continue;
                    }
                    if (seen[0] == 0 && change.getService().equals("large") && change.getState().getEndpointCount() == endpoints) {
                        seen[0] = System.nanoTime();
                    } else if (seen[1] == 0 && change.getService().equals("small")) {
                        seen[1] = System.nanoTime();
                    }
                }
            }
        }
        return seen;
    }

    /** {@code dataplanes} connected Universal dataplanes, each with {@code inbounds} ready inbounds of {@code service}. */
    private static List<DataplaneEvent> service(String mesh, String service, int dataplanes, int inbounds) {
        List<DataplaneEvent> events = new ArrayList<>(2 * dataplanes);
        for (int i = 0; i < dataplanes; i++) {
            StringBuilder inbound = new StringBuilder();
            for (int port = 8080; port < 8080 + inbounds; port++) {
                inbound.append(port == 8080 ? "" : ",").append("{\"port\":").append(port)
                        .append(",\"tags\":{\"kuma.io/service\":\"").append(service).append("\"}}");
            }
            String dataplane = String.format("%s-%05d", service, i);
            events.add(EventJson.parse("{\"type\":\"dataplane-upserted\",\"mesh\":\"" + mesh + "\",\"dataplane\":\"" + dataplane
                    + "\",\"time\":\"2026-12-03T10:00:00Z\",\"environment\":\"universal\",\"spec\":{\"networking\":"
                    + "{\"address\":\"127.0.0.1\",\"inbound\":[" + inbound + "]}}}"));
            events.add(EventJson.parse("{\"type\":\"stream-connected\",\"mesh\":\"" + mesh + "\",\"dataplane\":\"" + dataplane
                    + "\",\"time\":\"2026-12-03T10:00:01Z\",\"instance\":\"cp-1\"}"));
        }
        return events;
    }
}
