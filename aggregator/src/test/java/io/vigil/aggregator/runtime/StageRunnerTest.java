package io.vigil.aggregator.runtime;

import static io.vigil.aggregator.runtime.CountingLogic.OUTPUT;
import static io.vigil.aggregator.runtime.CountingLogic.bytes;
import static io.vigil.aggregator.runtime.CountingLogic.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vigil.aggregator.runtime.FakeKafka.TransactionalProducer;
import io.vigil.aggregator.runtime.StageRunner.State;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.RecordTracing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stage loop without a broker: {@link FakeKafka}'s MockProducer and MockConsumers, a clock
 * that moves only when told, and {@link CountingLogic}. The test drives the loop step by step
 * with {@link StageRunner#runOnce}, on its own thread, so every rebalance callback, commit and
 * failure happens at a known step.
 */
class StageRunnerTest {

    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    private final FakeKafka kafka = new FakeKafka(CountingLogic.INPUT.name(), CountingLogic.CHANGELOG.name());
    private final CountingLogic logic = new CountingLogic(kafka.journal);
    private final MutableClock clock = new MutableClock();
    private SimpleMeterRegistry registry;
    private StageRunner runner = runner(1_000);

    private StageRunner runner(int maxBatchRecords) {
        return runner(maxBatchRecords, StageConfig.DEFAULT_MAX_RECORD_BYTES);
    }

    private StageRunner runner(int maxBatchRecords, int maxRecordBytes) {
        return runner(maxBatchRecords, maxRecordBytes, RecordTracing.OFF);
    }

    /** A runner that commits on the interval and the record limit only (the default), so that each test says when a batch ends. */
    private StageRunner runner(int maxBatchRecords, int maxRecordBytes, RecordTracing tracing) {
        return runner(config(maxBatchRecords, maxRecordBytes), tracing);
    }

    private StageRunner runner(StageConfig config, RecordTracing tracing) {
        registry = new SimpleMeterRegistry();
        return new StageRunner(logic, config, kafka, registry, clock, tracing);
    }

    private static StageConfig config(int maxBatchRecords, int maxRecordBytes) {
        return new StageConfig("test", COMMIT_INTERVAL, maxBatchRecords, Duration.ofSeconds(10), Duration.ofSeconds(10), maxRecordBytes);
    }

    @Test
    void aBatchCommitsItsOutputsAndItsInputOffsetsInOneTransaction() {
        kafka.append(0, "a", "tick");
        kafka.append(0, "b", "tick");
        kafka.append(0, "a", "tick");
        kafka.append(1, "c", "tick");
        kafka.append(1, "c", "tick");
        join(0, 1);
        stepUntil(() -> processed(5));
        TransactionalProducer producer = kafka.producer();
        assertThat(producer.transactionInFlight()).isTrue();
        assertThat(outputs(producer.uncommittedRecords())).containsExactlyInAnyOrder("a=1", "b=1", "a=2", "c=1", "c=2");

        runner.runOnce();
        assertThat(producer.commitCount()).as("the batch is younger than the commit interval").isZero();
        clock.advance(COMMIT_INTERVAL);
        runner.runOnce();

        assertThat(producer.commitCount()).isEqualTo(1);
        assertThat(producer.transactionInFlight()).isFalse();
        assertThat(outputs(producer.history())).containsExactlyInAnyOrder("a=1", "b=1", "a=2", "c=1", "c=2");
        assertThat(changelog(producer.history())).containsExactlyInAnyOrder("0/a=2", "0/b=1", "1/c=2");
        assertThat(producer.consumerGroupOffsetsHistory()).as("next offsets, with the group of the consumer's metadata")
                .containsExactly(Map.of(FakeKafka.GROUP, Map.of(input(0), new OffsetAndMetadata(3), input(1), new OffsetAndMetadata(2))));
    }

    @Test
    void aBatchEndsWhenItHoldsMaxBatchRecordsWithoutWaitingForTheClock() {
        runner = runner(3);
        for (int i = 0; i < 3; i++) {
            kafka.append(0, "k" + i, "tick");
        }
        join(0);
        stepUntil(() -> kafka.producer().commitCount() == 1);
        assertThat(kafka.committedOffsets()).isEqualTo(Map.of(input(0), new OffsetAndMetadata(3)));
    }

    @Test
    void aBatchThatCommitsWhenDrainedCommitsOnceItsInputIsReadToTheEndWithoutWaitingForTheClock() {
        runner = runner(config(1_000, StageConfig.DEFAULT_MAX_RECORD_BYTES).withCommitWhenDrained(true), RecordTracing.OFF);
        kafka.append(0, "a", "tick");
        kafka.append(0, "b", "tick");
        join(0);
        stepUntil(() -> processed(2));

        assertThat(kafka.producer().commitCount()).as("the partition is read to its end").isEqualTo(1);
        assertThat(kafka.committedOffsets()).isEqualTo(Map.of(input(0), new OffsetAndMetadata(2)));
        assertThat(outputs(kafka.producer().history())).containsExactly("a=1", "b=1");
    }

    @Test
    void aBatchThatCommitsWhenDrainedGrowsWhileTheBrokerHasMoreInput() {
        runner = runner(config(1_000, StageConfig.DEFAULT_MAX_RECORD_BYTES).withCommitWhenDrained(true), RecordTracing.OFF);
        for (int i = 0; i < 3; i++) {
            kafka.append(0, "a", "tick");
        }
        joinWithEnd(5, 3);
        assertThat(kafka.producer().commitCount()).as("the last fetch told of two records more").isZero();

        kafka.append(0, "a", "tick");
        kafka.append(0, "a", "tick");
        stepUntil(() -> processed(5));

        assertThat(kafka.producer().commitCount()).as("read to the end").isEqualTo(1);
        assertThat(kafka.committedOffsets()).isEqualTo(Map.of(input(0), new OffsetAndMetadata(5)));
    }

    @Test
    void aBatchWhoseInputNeverDrainsStillEndsOnTheInterval() {
        runner = runner(config(1_000, StageConfig.DEFAULT_MAX_RECORD_BYTES).withCommitWhenDrained(true), RecordTracing.OFF);
        kafka.append(0, "a", "tick");
        joinWithEnd(1_000, 1);
        assertThat(kafka.producer().commitCount()).isZero();

        clock.advance(COMMIT_INTERVAL);
        runner.runOnce();

        assertThat(kafka.producer().commitCount()).isEqualTo(1);
    }

    @Test
    void byDefaultABatchReadToTheEndWaitsForTheInterval() {
        kafka.append(0, "a", "tick");
        join(0);
        stepUntil(() -> processed(1));
        runner.runOnce();
        runner.runOnce();
        assertThat(kafka.producer().commitCount()).isZero();

        clock.advance(COMMIT_INTERVAL);
        runner.runOnce();
        assertThat(kafka.producer().commitCount()).isEqualTo(1);
    }

    @Test
    void aRebalanceMidBatchCommitsTheOpenBatchBeforeTheRevokedPartitionsGo() {
        kafka.append(0, "a", "tick");
        kafka.append(1, "c", "tick");
        join(0, 1);
        stepUntil(() -> processed(2));
        assertThat(kafka.producer().commitCount()).isZero();

        kafka.rebalance(1);
        runner.runOnce();

        assertThat(kafka.producer().commitCount()).isEqualTo(1);
        assertThat(kafka.committedOffsets()).isEqualTo(Map.of(input(0), new OffsetAndMetadata(1), input(1), new OffsetAndMetadata(1)));
        assertThat(after("revoked [0] begin")).as("inside the revocation: commit, then drop").containsSubsequence("commit", "drop 0");
        assertThat(after("revoked [0] begin")).doesNotContain("drop 1");
        assertThat(logic.partitions()).containsExactly(1);
        assertThat(runner.partitions()).containsExactly(1);
        assertThat(runner.state()).isEqualTo(State.RUNNING);

        kafka.append(1, "c", "tick");
        stepUntil(() -> processed(3));
        assertThat(outputs(kafka.producer().uncommittedRecords())).as("partition 1 kept its state").containsExactly("c=2");
    }

    static Stream<Arguments> fencings() {
        return Stream.of(
                Arguments.of("fenced by a newer producer", (Consumer<TransactionalProducer>) TransactionalProducer::fenceProducer),
                Arguments.of("epoch gone", (Consumer<TransactionalProducer>) producer ->
                        producer.commitTransactionException = new InvalidProducerEpochException("epoch gone")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fencings")
    void aFencedProducerCommitsNothingAndTheNextSessionRedoesTheBatch(String name, Consumer<TransactionalProducer> fence) {
        List<String> abandoned = failSecondBatch(fence);
        assertThat(kafka.producer(0).transactionAborted()).as("a fenced producer cannot abort").isFalse();
        redoSecondBatch(abandoned);
    }

    static Stream<Arguments> commitFailures() {
        return Stream.of(
                Arguments.of("CommitFailedException", new CommitFailedException("the group moved on")),
                Arguments.of("KafkaException", new KafkaException("commit failed")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commitFailures")
    void aFailedCommitIsAbortedAndTheNextSessionRedoesTheBatch(String name, RuntimeException failure) {
        List<String> abandoned = failSecondBatch(producer -> producer.commitTransactionException = failure);
        assertThat(kafka.producer(0).transactionAborted()).isTrue();
        redoSecondBatch(abandoned);
    }

    /** Commits a batch, then fails the second one's commit; returns the outputs the second one had sent. */
    private List<String> failSecondBatch(Consumer<TransactionalProducer> breakCommit) {
        kafka.append(0, "a", "tick");
        kafka.append(0, "b", "tick");
        join(0);
        stepUntil(() -> processed(2));
        clock.advance(COMMIT_INTERVAL);
        runner.runOnce();
        TransactionalProducer first = kafka.producer();
        assertThat(first.commitCount()).isEqualTo(1);

        kafka.append(0, "a", "tick");
        kafka.append(0, "c", "tick");
        stepUntil(() -> processed(4));
        List<String> abandoned = outputs(first.uncommittedRecords());
        assertThat(abandoned).containsExactly("a=2", "c=1");
        breakCommit.accept(first);
        clock.advance(COMMIT_INTERVAL);
        runner.runOnce();

        assertThat(runner.state()).isEqualTo(State.FAILED_RESTARTING);
        assertThat(runner.ready()).isFalse();
        assertThat(runner.partitions()).isEmpty();
        assertThat(first.commitCount()).as("nothing of the second batch committed").isEqualTo(1);
        assertThat(first.consumerGroupOffsetsHistory()).hasSize(1);
        assertThat(first.closed()).isTrue();
        assertThat(kafka.member(0).closed()).isTrue();
        assertThat(kafka.restorer(0).closed()).isTrue();
        assertThat(logic.partitions()).as("every partition's state dropped").isEmpty();
        return abandoned;
    }

    /** After the backoff, new clients restore the first batch's state and redo the second batch with the same outputs. */
    private void redoSecondBatch(List<String> abandoned) {
        runner.runOnce();
        assertThat(kafka.sessions()).as("no new clients before the backoff is over").isEqualTo(1);
        clock.advance(StageRunner.RETRY);
        runner.runOnce();
        assertThat(kafka.sessions()).isEqualTo(2);
        assertThat(runner.state()).isEqualTo(State.REBALANCING);

        kafka.journal.clear();
        kafka.rebalance(0);
        stepUntil(() -> processed(2));
        assertThat(kafka.journal).containsSubsequence("restore 0 a", "restore 0 b", "process 0@2", "process 0@3");
        clock.advance(COMMIT_INTERVAL);
        runner.runOnce();

        TransactionalProducer second = kafka.producer();
        assertThat(second.commitCount()).isEqualTo(1);
        assertThat(outputs(second.history())).isEqualTo(abandoned);
        assertThat(changelog(second.history())).containsExactlyInAnyOrder("0/a=2", "0/c=1");
        assertThat(kafka.committedOffsets()).isEqualTo(Map.of(input(0), new OffsetAndMetadata(4)));
        assertThat(runner.state()).isEqualTo(State.RUNNING);
    }

    @Test
    void lostPartitionsAbandonTheBatchAndEveryPartitionAndStartOver() {
        kafka.append(0, "a", "tick");
        kafka.append(1, "b", "tick");
        join(0, 1);
        stepUntil(() -> processed(2));

        kafka.member().loseOnNextPoll();
        runner.runOnce();

        assertThat(runner.state()).isEqualTo(State.FAILED_RESTARTING);
        assertThat(kafka.producer().transactionAborted()).isTrue();
        assertThat(kafka.producer().commitCount()).isZero();
        assertThat(logic.partitions()).isEmpty();
        assertThat(kafka.member().closed()).isTrue();

        clock.advance(StageRunner.RETRY);
        runner.runOnce();
        kafka.rebalance(0, 1);
        stepUntil(() -> processed(4));
        clock.advance(COMMIT_INTERVAL);
        runner.runOnce();
        assertThat(outputs(kafka.producer().history())).containsExactlyInAnyOrder("a=1", "b=1");
    }

    @Test
    void aTracedRecordIsProcessedInASpanOfItsTraceAndWhatItSendsCarriesThatSpan() {
        InMemorySpanExporter exported = InMemorySpanExporter.create();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        runner = runner(1_000, StageConfig.DEFAULT_MAX_RECORD_BYTES, RecordTracing.of(sdk, "test"));
        Span post = sdk.getTracer("test").spanBuilder("POST").startSpan();
        kafka.append(0, bytes("a"), bytes("tick"), traceOf(sdk, post));
        kafka.append(0, bytes("b"), bytes("tick"), new RecordHeaders());
        kafka.append(0, bytes("x"), bytes("poison"), traceOf(sdk, post));
        join(0);
        stepUntil(() -> processed(3));
        clock.advance(COMMIT_INTERVAL);
        runner.runOnce();
        post.end();

        List<SpanData> processing = exported.getFinishedSpanItems().stream().filter(span -> span.getKind() == SpanKind.CONSUMER).toList();
        assertThat(processing).as("one span per traced record, none for the untraced one").hasSize(2).allSatisfy(span -> {
            assertThat(span.getName()).isEqualTo("process " + Topics.DATAPLANE_EVENTS.name());
            assertThat(span.getTraceId()).isEqualTo(post.getSpanContext().getTraceId());
            assertThat(span.getParentSpanId()).isEqualTo(post.getSpanContext().getSpanId());
            assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.consumer.group.name"))).isEqualTo("vigil-aggregator-counting");
        });
        assertThat(processing.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(processing.get(1).getStatus().getStatusCode()).as("the poison record").isEqualTo(StatusCode.ERROR);
        assertThat(processing.get(1).getStatus().getDescription()).isEqualTo("not a count: poison");

        List<ProducerRecord<byte[], byte[]>> history = kafka.producer().history();
        assertThat(history).filteredOn(r -> r.topic().equals(OUTPUT.name())).extracting(r -> text(r.value()) + " " + header(r, "traceparent"))
                .containsExactly("a=1 00-" + post.getSpanContext().getTraceId() + "-" + processing.get(0).getSpanId() + "-01", "b=1 null");
        assertThat(header(deadLetters(history).get(0), "traceparent")).as("the dead letter is in the poison record's span")
                .contains(processing.get(1).getSpanId());
        assertThat(history).filteredOn(r -> r.topic().equals(Topics.DATAPLANE_STATE.name()))
                .as("changelog writes belong to the batch, not to a record").allSatisfy(r -> assertThat(header(r, "traceparent")).isNull());
    }

    @Test
    void withTracingOffATracedRecordStartsNothingAndItsOutputsCarryNoTrace() {
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        Span post = sdk.getTracer("test").spanBuilder("POST").startSpan();
        kafka.append(0, bytes("a"), bytes("tick"), traceOf(sdk, post));
        join(0);
        stepUntil(() -> processed(1));
        assertThat(kafka.producer().uncommittedRecords()).extracting(r -> header(r, "traceparent")).containsOnlyNulls();
    }

    private static RecordHeaders traceOf(OpenTelemetrySdk sdk, Span span) {
        RecordHeaders headers = new RecordHeaders();
        sdk.getPropagators().getTextMapPropagator().inject(Context.root().with(span), headers,
                (carrier, key, value) -> carrier.add(key, value.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    @Test
    void aPoisonRecordIsDeadLetteredInTheBatchTransactionAndProcessingGoesOn() {
        kafka.append(0, "a", "tick");
        kafka.append(0, "x", "poison");
        kafka.append(0, "y", "boom");
        kafka.append(0, "a", "tick");
        join(0);
        stepUntil(() -> processed(4));
        TransactionalProducer producer = kafka.producer();
        assertThat(deadLetters(producer.uncommittedRecords())).as("sent inside the open transaction").hasSize(2);
        assertThat(deadLetters(producer.history())).isEmpty();

        clock.advance(COMMIT_INTERVAL);
        runner.runOnce();

        assertThat(producer.commitCount()).isEqualTo(1);
        List<ProducerRecord<byte[], byte[]>> dead = deadLetters(producer.history());
        assertThat(dead).hasSize(2);
        ProducerRecord<byte[], byte[]> poison = dead.get(0);
        assertThat(text(poison.key())).isEqualTo("x");
        assertThat(text(poison.value())).isEqualTo("poison");
        assertThat(header(poison, "vigil.dead-letter.reason")).isEqualTo("not a count: poison");
        assertThat(header(poison, "vigil.dead-letter.stage")).isEqualTo("counting");
        assertThat(header(poison, "vigil.dead-letter.topic")).isEqualTo(Topics.DATAPLANE_EVENTS.name());
        assertThat(header(poison, "vigil.dead-letter.partition")).isEqualTo("0");
        assertThat(header(poison, "vigil.dead-letter.offset")).isEqualTo("1");
        assertThat(header(dead.get(1), "vigil.dead-letter.reason")).isEqualTo("processing failed: java.lang.IllegalStateException: boom");
        assertThat(header(dead.get(1), "vigil.dead-letter.offset")).isEqualTo("2");
        assertThat(outputs(producer.history())).containsExactly("a=1", "a=2");
        assertThat(kafka.committedOffsets()).isEqualTo(Map.of(input(0), new OffsetAndMetadata(4)));
        assertThat(runner.state()).isEqualTo(State.RUNNING);
    }

    @Test
    void anOutputOverTheRecordLimitIsDeadLetteredWithoutItsValueAndTheBatchCommits() {
        runner = runner(1_000, 2_048);
        kafka.append(0, "a", "tick");
        kafka.append(0, "big", "huge");
        kafka.append(0, "a", "tick");
        join(0);
        stepUntil(() -> processed(3));
        clock.advance(COMMIT_INTERVAL);
        runner.runOnce();

        TransactionalProducer producer = kafka.producer();
        assertThat(producer.commitCount()).isEqualTo(1);
        assertThat(outputs(producer.history())).containsExactly("a=1", "a=2");
        List<ProducerRecord<byte[], byte[]>> dead = deadLetters(producer.history());
        assertThat(dead).hasSize(1);
        assertThat(text(dead.get(0).key())).isEqualTo("big");
        assertThat(dead.get(0).value()).as("the value is what cannot be written").isNull();
        assertThat(header(dead.get(0), "vigil.dead-letter.topic")).isEqualTo(OUTPUT.name());
        assertThat(header(dead.get(0), "vigil.dead-letter.reason")).contains("over the stage's limit of 2048 bytes");
        assertThat(Integer.parseInt(header(dead.get(0), "vigil.dead-letter.bytes"))).isGreaterThan(CountingLogic.HUGE);
        assertThat(deadLettered("oversized")).isEqualTo(1);
        assertThat(kafka.committedOffsets()).isEqualTo(Map.of(input(0), new OffsetAndMetadata(3)));
        assertThat(runner.state()).isEqualTo(State.RUNNING);
    }

    @Test
    void anOutputKafkaRefusesFailsOneTransactionAndItsRedoDeadLettersIt() {
        kafka.refuseValuesOver = 1_000;
        kafka.append(0, "a", "tick");
        kafka.append(0, "big", "huge");
        join(0);
        stepUntil(() -> processed(2));
        clock.advance(COMMIT_INTERVAL);
        runner.runOnce();

        assertThat(runner.state()).isEqualTo(State.FAILED_RESTARTING);
        assertThat(kafka.producer(0).commitCount()).isZero();
        assertThat(kafka.producer(0).transactionAborted()).isTrue();
        assertThat(runner.failuresInARow()).isEqualTo(1);

        clock.advance(StageRunner.RETRY);
        runner.runOnce();
        kafka.rebalance(0);
        stepUntil(() -> processed(4));
        clock.advance(COMMIT_INTERVAL);
        runner.runOnce();

        TransactionalProducer redo = kafka.producer();
        assertThat(redo).isNotSameAs(kafka.producer(0));
        assertThat(redo.commitCount()).isEqualTo(1);
        assertThat(outputs(redo.history())).containsExactly("a=1");
        assertThat(changelog(redo.history())).as("failed with the refused record, but not refused").containsExactly("0/a=1");
        List<ProducerRecord<byte[], byte[]>> dead = deadLetters(redo.history());
        assertThat(dead).hasSize(1);
        assertThat(text(dead.get(0).key())).isEqualTo("big");
        assertThat(dead.get(0).value()).isNull();
        assertThat(header(dead.get(0), "vigil.dead-letter.reason")).contains("that Kafka refused for " + OUTPUT.name());
        assertThat(deadLettered("refused")).isEqualTo(1);
        assertThat(kafka.committedOffsets()).isEqualTo(Map.of(input(0), new OffsetAndMetadata(2)));
        assertThat(runner.state()).isEqualTo(State.RUNNING);
        assertThat(runner.failuresInARow()).isZero();
    }

    @Test
    void theBackoffDoublesWithEachFailureInARowUpToItsCeiling() {
        assertThat(StageRunner.backoff(1)).isEqualTo(StageRunner.RETRY);
        assertThat(StageRunner.backoff(2)).isEqualTo(StageRunner.RETRY.multipliedBy(2));
        assertThat(StageRunner.backoff(3)).isEqualTo(StageRunner.RETRY.multipliedBy(4));
        assertThat(StageRunner.backoff(7)).isEqualTo(StageRunner.MAX_RETRY);
        assertThat(StageRunner.backoff(Integer.MAX_VALUE)).isEqualTo(StageRunner.MAX_RETRY);
    }

    @Test
    void failuresInARowWaitLongerEachTimeAndMakeTheStageUnreadyUntilItCommits() {
        kafka.append(0, "a", "tick");
        join(0);
        for (int failures = 1; failures <= StageRunner.UNREADY_AFTER_FAILURES; failures++) {
            kafka.member().loseOnNextPoll();
            runner.runOnce();
            assertThat(runner.state()).isEqualTo(State.FAILED_RESTARTING);
            assertThat(runner.failuresInARow()).isEqualTo(failures);
            assertThat(registry.get("vigil.aggregator.failures.in.a.row").gauge().value()).isEqualTo(failures);

            int sessions = kafka.sessions();
            clock.advance(StageRunner.backoff(failures).minusMillis(1));
            runner.runOnce();
            assertThat(kafka.sessions()).as("no new clients before backoff %s is over", StageRunner.backoff(failures)).isEqualTo(sessions);
            clock.advance(Duration.ofMillis(1));
            runner.runOnce();
            assertThat(kafka.sessions()).isEqualTo(sessions + 1);
            kafka.rebalance(0);
            stepUntil(() -> runner.state() == State.RUNNING);
        }
        assertThat(runner.ready()).as("running, but failing again and again").isFalse();
        assertThat(registry.get("vigil.aggregator.failures").tag("exception", "PartitionsLostException").counter().count())
                .isEqualTo(StageRunner.UNREADY_AFTER_FAILURES);

        stepUntil(() -> kafka.producer().transactionInFlight());
        clock.advance(COMMIT_INTERVAL);
        runner.runOnce();

        assertThat(kafka.producer().commitCount()).isEqualTo(1);
        assertThat(runner.failuresInARow()).isZero();
        assertThat(runner.ready()).isTrue();
    }

    @Test
    void aSessionThatRunsStablyForgetsTheFailuresBeforeIt() {
        join(0);
        kafka.member().loseOnNextPoll();
        runner.runOnce();
        clock.advance(StageRunner.RETRY);
        runner.runOnce();
        kafka.rebalance(0);
        stepUntil(() -> runner.state() == State.RUNNING);
        assertThat(runner.failuresInARow()).isEqualTo(1);

        clock.advance(StageRunner.STABLE.minusMillis(1));
        runner.runOnce();
        assertThat(runner.failuresInARow()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        runner.runOnce();
        assertThat(runner.failuresInARow()).isZero();
    }

    @Test
    void aNewPartitionIsRestoredOutsideTheCallbackAndBeforeAnyOfItsInput() {
        kafka.seedChangelog(1, "a", "5");
        kafka.seedChangelog(1, "b", "2");
        kafka.seedChangelog(1, "gone", "1");
        kafka.seedChangelog(1, "gone", null);
        kafka.seedChangelog(1, "c", "7");
        kafka.append(1, "a", "tick");
        join(0);
        kafka.restorer().setMaxPollRecords(2);
        kafka.journal.clear();

        kafka.rebalance(0, 1);
        runner.runOnce();
        assertThat(kafka.journal).containsSubsequence("assigned [1] begin", "assigned [1] end");
        assertThat(kafka.journal).as("the callback only records the partition").noneMatch(e -> e.startsWith("restore"));
        assertThat(runner.state()).isEqualTo(State.RESTORING);
        assertThat(runner.ready()).isFalse();
        assertThat(kafka.member().paused()).containsExactly(input(1));

        kafka.append(0, "z", "tick");
        int steps = 0;
        while (runner.state() == State.RESTORING) {
            assertThat(runner.ready()).isFalse();
            assertThat(runner.partitions()).containsExactly(0);
            assertThat(steps++).isLessThan(20);
            runner.runOnce();
        }
        assertThat(runner.state()).isEqualTo(State.RUNNING);
        assertThat(runner.ready()).isTrue();
        assertThat(runner.partitions()).containsExactlyInAnyOrder(0, 1);
        assertThat(kafka.member().paused()).isEmpty();
        assertThat(logic.counts(1)).as("restored, the tombstone included").containsEntry("b", 2).containsEntry("c", 7)
                .doesNotContainKey("gone");

        stepUntil(() -> kafka.journal.contains("process 1@0"));
        List<String> journal = List.copyOf(kafka.journal);
        assertThat(journal.indexOf("assigned [1] end")).as("restore began after the callback returned")
                .isLessThan(journal.indexOf("restore-poll"));
        assertThat(journal.subList(journal.indexOf("restore-poll"), journal.size())).as("the restore drops the partition first")
                .doesNotContain("drop 1");
        assertThat(journal).containsSubsequence("drop 1", "restore-assign [1]", "restore 1 a", "restore 1 c", "process 1@0");
        assertThat(journal.stream().filter("restore-poll"::equals).count()).as("in chunks of 2").isGreaterThanOrEqualTo(3);
        int lastRestorePoll = journal.lastIndexOf("restore-poll");
        assertThat(journal.subList(journal.indexOf("restore-poll"), lastRestorePoll))
                .as("the group consumer is polled, without waiting, between chunks").contains("group-poll PT0S")
                .doesNotContain("group-poll " + Duration.ofMillis(50));
        assertThat(journal.indexOf("process 0@0")).as("partition 0 is processed meanwhile").isBetween(0, lastRestorePoll);
        assertThat(outputs(kafka.producer().uncommittedRecords())).as("counted on from the restored 5").contains("a=6");
    }

    @Test
    void aPartitionRevokedWhileItRestoresIsDroppedAndTheOthersGoOn() {
        kafka.seedChangelog(1, "a", "5");
        kafka.seedChangelog(1, "b", "6");
        kafka.seedChangelog(2, "c", "7");
        join(0);
        kafka.restorer().setMaxPollRecords(1);
        kafka.rebalance(0, 1, 2);
        runner.runOnce();
        runner.runOnce();
        assertThat(runner.state()).isEqualTo(State.RESTORING);

        kafka.rebalance(0, 2);
        stepUntil(runner::ready);

        assertThat(runner.partitions()).containsExactlyInAnyOrder(0, 2);
        assertThat(logic.partitions()).doesNotContain(1);
        assertThat(logic.counts(2)).isEqualTo(Map.of("c", 7));
    }

    @Test
    void aRestoreEndsOnlyOnceTheChangelogHoldsEveryTransactionTheGroupsOffsetsCount() {
        kafka.append(0, "a", "tick");
        join(0);
        stepUntil(() -> processed(1));
        clock.advance(COMMIT_INTERVAL);
        runner.runOnce();
        kafka.holdMarkers();
        kafka.append(0, "a", "tick");
        stepUntil(() -> processed(2));
        clock.advance(COMMIT_INTERVAL);
        runner.runOnce();
        assertThat(kafka.producer().commitCount()).isEqualTo(2);
        assertThat(kafka.committedOffsets()).as("the group's offsets count the second batch")
                .isEqualTo(Map.of(input(0), new OffsetAndMetadata(2)));

        kafka.member().loseOnNextPoll();
        runner.runOnce();
        assertThat(runner.state()).isEqualTo(State.FAILED_RESTARTING);
        clock.advance(StageRunner.RETRY);
        runner.runOnce();
        kafka.append(0, "a", "tick");
        kafka.rebalance(0);
        for (int step = 0; step < 10; step++) {
            runner.runOnce();
            assertThat(runner.state()).as("the second batch's changelog records are not readable yet").isEqualTo(State.RESTORING);
        }
        assertThat(kafka.journal).doesNotContain("process 0@2");

        kafka.writeMarkers();
        stepUntil(() -> kafka.journal.contains("process 0@2"));

        assertThat(runner.ready()).isTrue();
        assertThat(outputs(kafka.producer().uncommittedRecords())).as("counted on from both batches").containsExactly("a=3");
    }

    @Test
    void theLegalTransitionsAreDeclaredOnTheState() {
        Map<State, Set<State>> legal = Map.of(
                State.CREATED, EnumSet.of(State.REBALANCING, State.FAILED_RESTARTING, State.CLOSED),
                State.REBALANCING, EnumSet.of(State.RESTORING, State.RUNNING, State.FAILED_RESTARTING, State.CLOSED),
                State.RESTORING, EnumSet.of(State.RUNNING, State.REBALANCING, State.FAILED_RESTARTING, State.CLOSED),
                State.RUNNING, EnumSet.of(State.RESTORING, State.REBALANCING, State.FAILED_RESTARTING, State.CLOSED),
                State.FAILED_RESTARTING, EnumSet.of(State.REBALANCING, State.CLOSED),
                State.CLOSED, EnumSet.noneOf(State.class));
        for (State from : State.values()) {
            for (State to : State.values()) {
                assertThat(from.isValidTransition(to)).as(from + " -> " + to).isEqualTo(legal.get(from).contains(to));
            }
        }
    }

    @Test
    void anIllegalTransitionThrowsAndChangesNothing() {
        assertThatThrownBy(() -> runner.setState(State.RUNNING)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CREATED to RUNNING");
        assertThat(runner.state()).isEqualTo(State.CREATED);
        runner.setState(State.CLOSED);
        assertThatThrownBy(() -> runner.setState(State.REBALANCING)).isInstanceOf(IllegalStateException.class);
        assertThat(runner.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void closeBeforeStartMakesNoClientsAndCannotBeUndone() {
        runner.close();
        assertThat(runner.state()).isEqualTo(State.CLOSED);
        assertThat(kafka.sessions()).isZero();
        assertThatThrownBy(runner::start).isInstanceOf(IllegalStateException.class);
        runner.close();
        assertThat(runner.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void closeWhileRunningCommitsTheOpenBatchAndLeavesTheGroup() {
        kafka.append(0, "a", "tick");
        kafka.append(0, "b", "tick");
        join(0);
        stepUntil(() -> processed(2));

        runner.close();

        assertThat(runner.state()).isEqualTo(State.CLOSED);
        assertThat(runner.ready()).isFalse();
        assertThat(kafka.producer().commitCount()).isEqualTo(1);
        assertThat(kafka.committedOffsets()).isEqualTo(Map.of(input(0), new OffsetAndMetadata(2)));
        assertThat(kafka.producer().closed()).isTrue();
        assertThat(kafka.member().closed()).isTrue();
        assertThat(kafka.restorer().closed()).isTrue();
    }

    @Test
    void aStartedRunnerLoopsOnItsOwnThreadAndCloseWakesItForTheLastCommit() {
        kafka.assignOnJoin(0);
        kafka.append(0, "a", "tick");
        kafka.append(0, "b", "tick");
        runner.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> runner.ready() && processed(2));
        assertThat(kafka.producer().commitCount()).as("the clock stands still: no batch is old enough").isZero();

        runner.close();

        assertThat(runner.state()).isEqualTo(State.CLOSED);
        assertThat(kafka.producer().commitCount()).isEqualTo(1);
        assertThat(kafka.committedOffsets()).isEqualTo(Map.of(input(0), new OffsetAndMetadata(2)));
        assertThat(kafka.member().closed()).isTrue();
    }

    /** Opens the first session and steps until the group's assignment of {@code partitions} is restored. */
    private void join(int... partitions) {
        runner.runOnce();
        assertThat(runner.state()).isEqualTo(State.REBALANCING);
        kafka.rebalance(partitions);
        stepUntil(runner::ready);
    }

    /**
     * Opens the first session, joins with partition 0 while its fetches say it ends at {@code end},
     * and steps until {@code records} are processed, and once more.
     */
    private void joinWithEnd(long end, int records) {
        runner.runOnce();
        kafka.member().updateEndOffsets(Map.of(input(0), end));
        kafka.rebalance(0);
        stepUntil(() -> processed(records));
        runner.runOnce();
    }

    private void stepUntil(BooleanSupplier done) {
        for (int step = 0; step < 50; step++) {
            if (done.getAsBoolean()) {
                return;
            }
            runner.runOnce();
        }
        throw new AssertionError("not done after 50 steps; journal: " + kafka.journal);
    }

    private boolean processed(int records) {
        synchronized (kafka.journal) {
            return kafka.journal.stream().filter(e -> e.startsWith("process ")).count() >= records;
        }
    }

    /** The journal from {@code entry} on. */
    private List<String> after(String entry) {
        List<String> journal = List.copyOf(kafka.journal);
        assertThat(journal).contains(entry);
        return journal.subList(journal.indexOf(entry), journal.size());
    }

    private static TopicPartition input(int partition) {
        return new TopicPartition(Topics.DATAPLANE_EVENTS.name(), partition);
    }

    private static List<String> outputs(List<ProducerRecord<byte[], byte[]>> records) {
        return records.stream().filter(r -> r.topic().equals(OUTPUT.name())).map(r -> text(r.value())).toList();
    }

    private static List<String> changelog(List<ProducerRecord<byte[], byte[]>> records) {
        return records.stream().filter(r -> r.topic().equals(Topics.DATAPLANE_STATE.name()))
                .map(r -> r.partition() + "/" + text(r.key()) + "=" + text(r.value())).toList();
    }

    private static List<ProducerRecord<byte[], byte[]>> deadLetters(List<ProducerRecord<byte[], byte[]>> records) {
        return new ArrayList<>(records.stream().filter(r -> r.topic().equals(Topics.DEAD_LETTER.name())).toList());
    }

    private double deadLettered(String cause) {
        return registry.get("vigil.aggregator.dead.letters").tag("cause", cause).counter().count();
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : text(header.value());
    }
}
