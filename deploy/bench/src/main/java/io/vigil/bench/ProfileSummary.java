package io.vigil.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The aggregator's costs from a JFR recording of {@link PipelineBenchmark}: of the threads that run
 * the stages ({@code vigil-aggregator-*}), the methods most often on CPU (self time, by samples)
 * and the calls they waited in longest (parked time, attributed to the first Kafka or vigil
 * frame). Prints both as text for BENCHMARKS.md.
 * Arguments: {@code RECORDING.jfr [top (5)]}.
 */
public final class ProfileSummary {

    private static final String STAGE_THREADS = "vigil-aggregator-";

    private ProfileSummary() {
    }

    public static void main(String[] args) throws IOException {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Map<String, Integer> samples = new HashMap<>();
        Map<String, Duration> parked = new HashMap<>();
        int total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = event.getEventType().getName();
            RecordedThread thread = type.equals("jdk.ExecutionSample") ? event.getThread("sampledThread") : event.getThread();
            if (thread == null || thread.getJavaName() == null || !thread.getJavaName().startsWith(STAGE_THREADS)
                    || event.getStackTrace() == null) {
                continue;
            }
            if (type.equals("jdk.ExecutionSample")) {
                total++;
                samples.merge(frame(event.getStackTrace().getFrames().get(0)), 1, Integer::sum);
            } else if (type.equals("jdk.ThreadPark") || type.equals("jdk.JavaMonitorEnter")) {
                parked.merge(waitSite(event.getStackTrace()), event.getDuration(), Duration::plus);
            }
        }
        int sampled = total;
        System.out.println("On CPU in the stage threads (" + sampled + " samples), self time:");
        samples.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("  %5.1f %%  %s%n", 100.0 * e.getValue() / sampled, e.getKey()));
        System.out.println("Waiting in the stage threads (parked 10 ms or longer), total time:");
        parked.entrySet().stream().sorted(Map.Entry.<String, Duration>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("  %7.1f s  %s%n", e.getValue().toMillis() / 1000.0, e.getKey()));
    }

    private static String waitSite(RecordedStackTrace stack) {
        List<RecordedFrame> frames = stack.getFrames();
        return frames.stream().map(ProfileSummary::frame)
                .filter(f -> f.startsWith("org.apache.kafka.clients.producer.KafkaProducer") || f.startsWith("org.apache.kafka.clients.consumer.KafkaConsumer")
                        || f.startsWith("io.vigil"))
                .findFirst().orElse(frames.isEmpty() ? "?" : frame(frames.get(0)));
    }

    private static String frame(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
