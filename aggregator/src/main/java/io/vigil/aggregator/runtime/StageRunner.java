package io.vigil.aggregator.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.context.Scope;
import io.vigil.aggregator.core.HealthChange;
import io.vigil.aggregator.core.Source;
import io.vigil.schemas.Topic;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.RecordTracing;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;

/**
 * Runs one aggregator stage with exactly-once semantics: a poll-process-commit loop in which the
 * outputs, the changelog writes of changed keys and the input offsets of a batch commit in one
 * Kafka transaction ({@code sendOffsetsToTransaction} with the consumer's group metadata, so a
 * zombie from an older generation is fenced). Readers use {@code read_committed}.
 *
 * <p>The runner moves through the {@link State}s: a <em>session</em> (one set of clients from
 * {@link StageClients}) joins the group ({@link State#REBALANCING}); the assignment callback only
 * records the new partitions and pauses them, and the loop restores them from the changelog a
 * chunk at a time between polls of the group consumer ({@link State#RESTORING}), then resumes
 * them ({@link State#RUNNING}). On revocation the callback commits the open batch, then drops
 * those partitions' state. A fenced producer, a failed commit, lost partitions or any other client
 * error ends the session ({@link State#FAILED_RESTARTING}): the open transaction is aborted if the
 * producer still can, the clients are closed, every partition's state is dropped, and after a
 * backoff a new session starts over from the last commit (new clients, a rejoin, a restore), the
 * way Kafka Streams handles a dirty task. Since the rules are deterministic, the redone work writes
 * the very changes, with the very versions, that the aborted transaction held. A record the logic
 * cannot use goes to {@link Topics#DEAD_LETTER} in the batch's transaction.
 *
 * <p>No record can stop a stage: an output larger than {@link StageConfig#maxRecordBytes} is
 * dead-lettered (its key and size, not its value) instead of being sent, and an output that Kafka
 * refuses anyway (a topic with a smaller {@code max.message.bytes}) fails its transaction once: the
 * runner learns the refused size ({@link RefusedSizes}) and the redo dead-letters records as large. Failures in a row back
 * off exponentially, from {@link #RETRY} to {@link #MAX_RETRY}; after {@value #UNREADY_AFTER_FAILURES}
 * of them the stage is not ready until it commits again or runs for {@link #STABLE} without failing.
 *
 * <p>A trace context that an input record carries continues through its processing to the records
 * it causes ({@link StageTracing}), when tracing is on.
 *
 * <p>Time comes from the injected {@link Clock}: a batch's age, the restart backoff and the lag
 * sampling are decided on it, never on {@code System.nanoTime}.
 *
 * <p>Threading: one loop thread (the runner's own after {@link #start}) owns the clients, the
 * {@link StageLogic} and all the loop's fields; the rebalance callbacks run on it, inside
 * {@code poll}. {@link #start}, {@link #close}, {@link #state}, {@link #ready}, {@link #partitions}
 * and {@link #name} may be called from any thread. A runner that is not started is driven by
 * whoever calls {@link #runOnce} (tests do), and {@link #close} then runs the last steps on the
 * caller's thread.
 */
public final class StageRunner implements AutoCloseable {

    /**
     * Where a runner is in its life. The legal transitions are those {@link #isValidTransition}
     * allows; any other is a bug and throws.
     *
     * <pre>
     * CREATED           -> REBALANCING (a session joins), FAILED_RESTARTING (its clients failed), CLOSED
     * REBALANCING       -> RESTORING (partitions assigned), RUNNING (nothing to restore), FAILED_RESTARTING, CLOSED
     * RESTORING         -> RUNNING (all restored), REBALANCING (a revocation), FAILED_RESTARTING, CLOSED
     * RUNNING           -> RESTORING (more partitions assigned), REBALANCING (a revocation), FAILED_RESTARTING, CLOSED
     * FAILED_RESTARTING -> REBALANCING (new clients after the backoff), CLOSED
     * CLOSED            -> nothing
     * </pre>
     */
    public enum State {
        /** Built, not started: no clients yet. */
        CREATED,
        /**
         * Some assigned partitions are being restored from their changelog (paused on the group
         * consumer meanwhile); the restored ones are processed. Not ready.
         */
        RESTORING,
        /** Every assigned partition is restored and processed. Ready. */
        RUNNING,
        /** Joining the group with new clients, or between a revocation and the next assignment. Not ready. */
        REBALANCING,
        /** The session failed: its clients are closed and all state is dropped; new clients after a backoff. Not ready. */
        FAILED_RESTARTING,
        /** Stopped for good; the clients are closed and the last batch committed. */
        CLOSED;

        /** Whether a runner in this state may move to {@code next}. */
        public boolean isValidTransition(State next) {
            return switch (this) {
                case CREATED -> next == REBALANCING || next == FAILED_RESTARTING || next == CLOSED;
                case REBALANCING -> next == RESTORING || next == RUNNING || next == FAILED_RESTARTING || next == CLOSED;
                case RESTORING -> next == RUNNING || next == REBALANCING || next == FAILED_RESTARTING || next == CLOSED;
                case RUNNING -> next == RESTORING || next == REBALANCING || next == FAILED_RESTARTING || next == CLOSED;
                case FAILED_RESTARTING -> next == REBALANCING || next == CLOSED;
                case CLOSED -> false;
            };
        }
    }

    private static final System.Logger LOG = System.getLogger(StageRunner.class.getName());
    private static final Duration POLL = Duration.ofMillis(50);
    /** How long a failed session waits before it starts over with new clients; doubled for each failure in a row. */
    static final Duration RETRY = Duration.ofSeconds(1);
    /** The longest wait between failed sessions. */
    static final Duration MAX_RETRY = Duration.ofSeconds(60);
    /** Failures in a row after which the stage reports not ready even while it runs. */
    static final int UNREADY_AFTER_FAILURES = 3;
    /** How long a session must run without failing for the failures before it to be forgotten. */
    static final Duration STABLE = Duration.ofSeconds(30);
    /** Room for a record's own framing and header names beside its key, value and header values. */
    private static final int RECORD_OVERHEAD = 128;
    private static final Duration LAG_EVERY = Duration.ofSeconds(5);
    private static final MetricName LAG = new MetricName("records-lag-max", "consumer-fetch-manager-metrics", "", Map.of());

    private final StageLogic logic;
    private final StageConfig config;
    private final StageClients clients;
    private final StageMetrics metrics;
    private final Clock clock;
    private final StageTracing tracing;
    private final Thread thread;

    /** Guards {@link #started} and the check-and-set of {@link #state}. */
    private final Object lock = new Object();
    /** Cuts the backoff wait of the loop thread short when close() is called. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile State state = State.CREATED;
    private volatile boolean closeRequested;
    private boolean started;
    private volatile Set<Integer> ownedSnapshot = Set.of();
    /** The session's group consumer, for close() to wake up. */
    private volatile Consumer<byte[], byte[]> wakeable;

    // The loop's own state, touched only by the loop thread.
    private Session session;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private final Set<Integer> owned = new TreeSet<>();
    private final TransactionOutputs outputs = new TransactionOutputs();
    private boolean inTransaction;
    private Instant batchStartedAt;
    private int batchRecords;
    private Instant lagReadAt;
    private Instant retryAt;
    private Instant runningSince;
    private volatile int failuresInARow;
    private final RefusedSizes refused = new RefusedSizes();
    private Timer.Sample restoreSample;
    private final Set<Integer> restoredInRound = new TreeSet<>();

    /** A runner on Kafka that traces nothing: clients from {@code clients} (see {@link StageClients#kafka}) and the system clock. */
    public StageRunner(StageLogic logic, StageConfig config, KafkaClients clients, MeterRegistry registry) {
        this(logic, config, clients, registry, RecordTracing.OFF);
    }

    /** A runner on Kafka that continues the traces its input records carry through {@code tracing}. */
    public StageRunner(StageLogic logic, StageConfig config, KafkaClients clients, MeterRegistry registry, RecordTracing tracing) {
        this(logic, config, StageClients.kafka(clients, logic.name(), config), registry, Clock.systemUTC(), tracing);
    }

    public StageRunner(StageLogic logic, StageConfig config, StageClients clients, MeterRegistry registry, Clock clock, RecordTracing tracing) {
        this.logic = logic;
        this.config = config;
        this.clients = clients;
        this.metrics = new StageMetrics(registry, logic.name(), () -> failuresInARow);
        this.clock = clock;
        this.tracing = new StageTracing(tracing, KafkaStageClients.groupId(logic.name()));
        this.thread = new Thread(this::loop, "vigil-aggregator-" + logic.name());
    }

    /**
     * Starts the loop on the runner's own thread.
     *
     * @throws IllegalStateException if it was started, stepped or closed before
     */
    public StageRunner start() {
        synchronized (lock) {
            if (started || closeRequested || state != State.CREATED) {
                throw new IllegalStateException("aggregator stage " + logic.name() + " cannot start in state " + state);
            }
            started = true;
        }
        thread.start();
        return this;
    }

    public State state() {
        return state;
    }

    /**
     * True once the stage has joined its group and restored every partition it owns; false while
     * anything restores, and while it keeps failing ({@value #UNREADY_AFTER_FAILURES} failures in a row).
     */
    public boolean ready() {
        return state == State.RUNNING && failuresInARow < UNREADY_AFTER_FAILURES;
    }

    /** How many sessions in a row failed; 0 once a commit succeeds or a session has run for {@link #STABLE}. */
    public int failuresInARow() {
        return failuresInARow;
    }

    public String name() {
        return logic.name();
    }

    /** The input partitions this instance owns and has restored. */
    public Set<Integer> partitions() {
        return ownedSnapshot;
    }

    /** Commits the open batch, leaves the group and stops; waits up to 30 s for the loop thread. */
    @Override
    public void close() {
        boolean loopHere;
        synchronized (lock) {
            closeRequested = true;
            loopHere = !started;
        }
        closing.countDown();
        Consumer<byte[], byte[]> consumer = wakeable;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (loopHere) {
            // No loop thread: the caller's thread drives the loop (never started, or stepped by a test).
            while (state != State.CLOSED) {
                runOnce();
            }
        } else if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        try {
            while (state != State.CLOSED) {
                runOnce();
                if (state == State.FAILED_RESTARTING && !closeRequested) {
                    awaitRetry();
                }
            }
        } finally {
            if (state != State.CLOSED) {
                // An Error escaped the loop: nothing may keep using the clients.
                closeSession();
                setState(State.CLOSED);
            }
        }
    }

    /**
     * One step of the loop: opens a session (when starting, or when a failed one's backoff is
     * over), or restores a chunk and polls, processes and commits what is due, or, once close()
     * was called, commits the open batch and closes. A failure moves to {@link State#FAILED_RESTARTING}.
     * The loop thread calls it until {@link State#CLOSED}; package-private so that tests can drive it.
     */
    void runOnce() {
        try {
            if (closeRequested) {
                shutdown();
                return;
            }
            switch (state) {
                case CREATED -> openSession();
                case FAILED_RESTARTING -> {
                    if (!clock.instant().isBefore(retryAt)) {
                        openSession();
                    }
                }
                case REBALANCING, RESTORING, RUNNING -> pollOnce();
                case CLOSED -> { }
            }
        } catch (WakeupException e) {
            if (closeRequested) {
                shutdown();
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** Moves to {@code next}; package-private so that tests can check the guard. */
    void setState(State next) {
        State previous;
        synchronized (lock) {
            previous = state;
            if (!previous.isValidTransition(next)) {
                throw new IllegalStateException("aggregator stage " + logic.name() + ": no transition from " + previous + " to " + next);
            }
            state = next;
        }
        metrics.restoring(next == State.RESTORING);
        if (next == State.RUNNING) {
            runningSince = clock.instant();
        }
        LOG.log(Level.DEBUG, () -> "aggregator stage " + logic.name() + ": " + previous + " -> " + next);
    }

    private void openSession() {
        Session opening = new Session();
        session = opening; // from here on, a failure closes whatever was made
        opening.producer = clients.transactionalProducer();
        opening.consumer = clients.groupConsumer();
        wakeable = opening.consumer;
        opening.restoreConsumer = clients.restoreConsumer();
        opening.admin = clients.admin();
        opening.restore = new ChangelogRestore(logic, opening.restoreConsumer, opening.admin, POLL);
        opening.producer.initTransactions();
        opening.consumer.subscribe(List.of(logic.inputTopic().name()), new Rebalance(opening));
        setState(State.REBALANCING);
    }

    private void pollOnce() {
        if (state == State.RESTORING) {
            restoreSome();
        }
        // While restoring, the group consumer is polled only to stay a live member (and process what is restored).
        ConsumerRecords<byte[], byte[]> records = session.consumer.poll(state == State.RESTORING ? Duration.ZERO : POLL);
        process(records);
        if (inTransaction && (batchRecords >= config.maxBatchRecords()
                || Duration.between(batchStartedAt, clock.instant()).compareTo(config.commitInterval()) >= 0
                || (config.commitWhenDrained() && drained()))) {
            commit();
        }
        if (failuresInARow > 0 && state == State.RUNNING && Duration.between(runningSince, clock.instant()).compareTo(STABLE) >= 0) {
            failuresInARow = 0;
        }
        readLag();
    }

    private void process(ConsumerRecords<byte[], byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        if (!inTransaction) {
            session.producer.beginTransaction();
            refused.forgetSuspects();
            inTransaction = true;
            batchStartedAt = clock.instant();
            batchRecords = 0;
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try (Scope traced = tracing.process(record)) {
                processOne(record);
            }
            metrics.recordProcessed();
            batchRecords++;
            pending.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        }
    }

    /**
     * Whether every partition this instance processes is read to its end (its last stable offset
     * as of the last fetch), so that waiting adds nothing to the batch. Not while a fetch has told
     * of more records than were polled, nor before a partition's end is known: an empty poll alone
     * does not tell a drained input from a fetch still on its way.
     */
    private boolean drained() {
        for (int partition : owned) {
            OptionalLong lag = session.consumer.currentLag(input(partition));
            if (lag.isEmpty() || lag.getAsLong() > 0) {
                return false;
            }
        }
        return true;
    }

    /** Folds one record, or dead-letters it when the logic cannot use it; a Kafka error ends the session. */
    private void processOne(ConsumerRecord<byte[], byte[]> record) {
        try {
            logic.process(record, outputs);
        } catch (KafkaException e) {
            throw e;
        } catch (PoisonRecordException e) {
            deadLetter(record, e.getMessage());
        } catch (RuntimeException e) {
            deadLetter(record, "processing failed: " + e);
        }
    }

    private void commit() {
        Timer.Sample sample = Timer.start();
        logic.endBatch(outputs);
        session.producer.sendOffsetsToTransaction(Map.copyOf(pending), session.consumer.groupMetadata());
        session.producer.commitTransaction();
        sample.stop(metrics.commit());
        metrics.batch().record(Duration.between(batchStartedAt, clock.instant()));
        pending.clear();
        tracing.endBatch();
        inTransaction = false;
        failuresInARow = 0;
    }

    /** An input record the logic cannot use: the record itself, with where it came from and why. */
    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        RecordHeaders headers = deadLetterHeaders(reason, record.topic());
        headers.add("vigil.dead-letter.partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add("vigil.dead-letter.offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        outputs.write(new ProducerRecord<>(Topics.DEAD_LETTER.name(), null, record.key(), record.value(), headers));
        metrics.deadLettered("input");
        tracing.deadLettered(reason);
        LOG.log(Level.WARNING, "dead-lettered " + record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + reason);
    }

    /**
     * An output that cannot be written: its key, size and reason, without the value (which is what
     * cannot be written). Its topic's consumers miss this one record; the dead letter says which.
     */
    private void deadLetterOutput(ProducerRecord<byte[], byte[]> record, int bytes, String cause, String reason) {
        RecordHeaders headers = deadLetterHeaders(reason, record.topic());
        headers.add("vigil.dead-letter.bytes", Integer.toString(bytes).getBytes(StandardCharsets.UTF_8));
        outputs.write(new ProducerRecord<>(Topics.DEAD_LETTER.name(), null, record.key(), null, headers));
        metrics.deadLettered(cause);
        LOG.log(Level.WARNING, () -> "aggregator stage " + logic.name() + " dead-lettered its record for " + record.topic() + " key "
                + (record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8)) + ": " + reason);
    }

    private RecordHeaders deadLetterHeaders(String reason, String topic) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("vigil.dead-letter.reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("vigil.dead-letter.stage", logic.name().getBytes(StandardCharsets.UTF_8));
        headers.add("vigil.dead-letter.topic", topic.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** Restores a chunk; resumes the partitions whose restore ended; RUNNING once nothing is left. */
    private void restoreSome() {
        for (int partition : session.restore.restoreSome()) {
            owned.add(partition);
            restoredInRound.add(partition);
            session.consumer.resume(List.of(input(partition)));
        }
        ownedSnapshot = Set.copyOf(owned);
        if (session.restore.idle()) {
            endRestoreRound();
            setState(State.RUNNING);
        }
    }

    /** Times and logs the partitions restored since restoring began. */
    private void endRestoreRound() {
        if (restoreSample == null) {
            return;
        }
        long nanos = restoreSample.stop(metrics.restore());
        restoreSample = null;
        if (!restoredInRound.isEmpty()) {
            LOG.log(Level.INFO, "aggregator stage " + logic.name() + " restored partitions " + List.copyOf(restoredInRound)
                    + " in " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms");
        }
        restoredInRound.clear();
    }

    /**
     * Ends the session: aborts if possible, closes the clients, drops every partition's state, and
     * backs off the longer the more sessions in a row failed.
     */
    private void fail(RuntimeException e) {
        int failures = ++failuresInARow;
        Duration backoff = backoff(failures);
        metrics.failed(e);
        if (state != State.FAILED_RESTARTING) {
            setState(State.FAILED_RESTARTING);
        }
        if (inTransaction && canAbort(e)) {
            abort();
        }
        // After the abort: by then the producer has failed every record of the transaction.
        String refusal = learnRefusals().map(record -> "; Kafka refused " + record + ", which the redo dead-letters").orElse("");
        LOG.log(Level.WARNING, "aggregator stage " + logic.name() + " failed (" + failures + " in a row); restarting from the last commit in "
                + backoff.toMillis() + " ms: " + e + refusal, e);
        endSession();
        retryAt = clock.instant().plus(backoff);
    }

    /** The records of the failed transaction that Kafka refused for their size, told apart with the topics' limits. */
    private Optional<String> learnRefusals() {
        StageAdmin admin = session == null ? null : session.admin;
        return refused.learn(topics -> {
            if (admin == null) {
                throw new KafkaException("no client session to read the topics' max.message.bytes with");
            }
            return admin.maxMessageBytes(topics);
        });
    }

    /** {@link #RETRY} doubled for each failure in a row after the first, at most {@link #MAX_RETRY}. */
    static Duration backoff(int failuresInARow) {
        int doublings = Math.min(failuresInARow - 1, 16);
        Duration wait = RETRY.multipliedBy(1L << doublings);
        return wait.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait;
    }

    /** Commits the open batch (a failed commit is aborted and logged), closes the clients: CLOSED. */
    private void shutdown() {
        if (state == State.CLOSED) {
            return;
        }
        try {
            if (inTransaction) {
                try {
                    commit();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "aggregator stage " + logic.name() + " could not commit its last batch on close: " + e, e);
                    if (canAbort(e)) {
                        abort();
                    }
                }
            }
        } finally {
            endSession();
            setState(State.CLOSED);
        }
    }

    private void abort() {
        try {
            session.producer.abortTransaction();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "aggregator stage " + logic.name() + " could not abort its transaction: " + e);
        }
    }

    /** Closes the session's clients and forgets the open batch and every partition's state. */
    private void endSession() {
        inTransaction = false;
        pending.clear();
        tracing.endBatch();
        Set<Integer> restoring = session == null || session.restore == null ? Set.of() : session.restore.partitions();
        closeSession();
        for (int partition : owned) {
            logic.drop(partition);
        }
        restoring.forEach(logic::drop);
        owned.clear();
        ownedSnapshot = Set.of();
        restoreSample = null;
        restoredInRound.clear();
    }

    private void closeSession() {
        Session ending = session;
        session = null;
        wakeable = null;
        if (ending == null) {
            return;
        }
        ending.closing = true; // the callbacks that close() runs only drop state
        if (ending.restoreConsumer != null) {
            closeQuietly(ending.restoreConsumer::close);
        }
        if (ending.admin != null) {
            closeQuietly(ending.admin::close);
        }
        if (ending.consumer != null) {
            // Leave the group although a static member, so the partitions move at once, as a dynamic member's would.
            closeQuietly(() -> ending.consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)));
        }
        if (ending.producer != null) {
            closeQuietly(ending.producer::close);
        }
    }

    private void closeQuietly(Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "aggregator stage " + logic.name() + " could not close a client: " + e);
        }
    }

    private void awaitRetry() {
        Duration wait = Duration.between(clock.instant(), retryAt);
        if (wait.isNegative() || wait.isZero()) {
            return;
        }
        try {
            closing.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeRequested = true;
        }
    }

    /**
     * Whether the open transaction can still be aborted after {@code failure}: not once the
     * producer is fenced (another producer has its transactional id, or its epoch is gone), since
     * then the producer can only be closed; the broker aborts what it left open.
     */
    static boolean canAbort(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
                return false;
            }
        }
        return true;
    }

    private void readLag() {
        Instant now = clock.instant();
        if (lagReadAt != null && Duration.between(lagReadAt, now).compareTo(LAG_EVERY) < 0) {
            return;
        }
        lagReadAt = now;
        Map<MetricName, ? extends Metric> all = session.consumer.metrics();
        Metric lag = all.get(LAG);
        if (lag == null) {
            lag = all.entrySet().stream().filter(e -> e.getKey().name().equals(LAG.name())
                    && e.getKey().group().equals(LAG.group()) && !e.getKey().tags().containsKey("topic"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        if (lag != null && lag.metricValue() instanceof Double value && !value.isNaN()) {
            metrics.lag(value);
        }
    }

    private TopicPartition input(int partition) {
        return new TopicPartition(logic.inputTopic().name(), partition);
    }

    /** One life of the clients, from joining the group to a failure or to close(). */
    private static final class Session {
        Producer<byte[], byte[]> producer;
        Consumer<byte[], byte[]> consumer;
        Consumer<byte[], byte[]> restoreConsumer;
        StageAdmin admin;
        ChangelogRestore restore;
        boolean closing;
    }

    /**
     * Runs inside poll(), on the loop's thread. Assignment only records and pauses the partitions
     * (the loop restores them); revocation commits the open batch before the partitions go.
     */
    private final class Rebalance implements ConsumerRebalanceListener {

        private final Session owner;

        Rebalance(Session owner) {
            this.owner = owner;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (inTransaction && !owner.closing) {
                commit();
            }
            forget(partitions);
            if (owner.closing) {
                return;
            }
            if (owner.restore.idle()) {
                endRestoreRound();
            }
            if (state != State.REBALANCING) {
                setState(State.REBALANCING);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (owner.closing) {
                forget(partitions);
                return;
            }
            // Another instance may own them already: the open transaction cannot commit, and
            // every partition's state may hold its uncommitted work. Start over.
            throw new PartitionsLostException(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (owner.closing) {
                return;
            }
            if (!partitions.isEmpty()) {
                owner.consumer.pause(partitions);
                for (TopicPartition partition : partitions) {
                    owned.remove(partition.partition());
                    owner.restore.add(partition.partition());
                }
                ownedSnapshot = Set.copyOf(owned);
                if (restoreSample == null) {
                    restoreSample = Timer.start();
                }
            }
            State next = owner.restore.idle() ? State.RUNNING : State.RESTORING;
            if (state != next) {
                setState(next);
            }
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                logic.drop(partition.partition());
                owned.remove(partition.partition());
                owner.restore.remove(partition.partition());
            }
            ownedSnapshot = Set.copyOf(owned);
        }
    }

    /** The group took this member's partitions away without a revocation: its uncommitted work is void. */
    static final class PartitionsLostException extends KafkaException {

        PartitionsLostException(Collection<TopicPartition> partitions) {
            super("partitions " + partitions + " were lost");
        }
    }

    /**
     * Sends into the open transaction, counting what it writes; dead-letters instead a record
     * over {@link StageConfig#maxRecordBytes} or one that Kafka refused before.
     */
    private final class TransactionOutputs implements Outputs {

        @Override
        public void send(Topic<?> topic, String key, byte[] value) {
            write(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8), framed(topic, value)));
        }

        @Override
        public void send(Topic<?> topic, int partition, String key, byte[] value) {
            write(new ProducerRecord<>(topic.name(), partition, key.getBytes(StandardCharsets.UTF_8), framed(topic, value)));
        }

        @Override
        public void send(Topic<?> topic, String key, byte[] value, Headers headers) {
            write(new ProducerRecord<>(topic.name(), null, key.getBytes(StandardCharsets.UTF_8), framed(topic, value), headers));
        }

        @Override
        public void sendChange(Topic<?> topic, HealthChange change, byte[] value) {
            try (Scope resumed = tracing.resume(change.cause() == null ? null : change.cause().source())) {
                Outputs.super.sendChange(topic, change, value);
            }
        }

        @Override
        public void continues(Source cause) {
            tracing.continues(cause);
        }

        /** Every value a stage writes passes here once: the stage logic produces single-object bytes, the config says how they go out. */
        private byte[] framed(Topic<?> topic, byte[] value) {
            return config.wireFormat().value(topic, value);
        }

        @Override
        public void send(Topic<?> topic, String key, String partitionKey, byte[] value) {
            int partitions = session.producer.partitionsFor(topic.name()).size();
            int partition = Utils.toPositive(Utils.murmur2(partitionKey.getBytes(StandardCharsets.UTF_8))) % partitions;
            send(topic, partition, key, value);
        }

        private void write(ProducerRecord<byte[], byte[]> record) {
            tracing.inject(record.headers());
            int bytes = size(record);
            if (bytes > config.maxRecordBytes()) {
                deadLetterOutput(record, bytes, "oversized",
                        "record of " + bytes + " bytes is over the stage's limit of " + config.maxRecordBytes() + " bytes");
                return;
            }
            Optional<Integer> refusedSize = refused.refused(record.topic());
            if (refusedSize.isPresent() && bytes >= refusedSize.get()) {
                deadLetterOutput(record, bytes, "refused", "record of " + bytes + " bytes is as large as one of " + refusedSize.get()
                        + " bytes that Kafka refused for " + record.topic() + " (its max.message.bytes is lower than the stage's limit)");
                return;
            }
            session.producer.send(record, (metadata, failure) -> {
                if (failure != null) {
                    refused.rejected(record.topic(), bytes, failure);
                }
            });
            if (record.value() != null) {
                metrics.wrote(record.topic());
            }
        }

        private static int size(ProducerRecord<byte[], byte[]> record) {
            int bytes = RECORD_OVERHEAD + (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
            for (Header header : record.headers()) {
                bytes += header.key().length() + (header.value() == null ? 0 : header.value().length);
            }
            return bytes;
        }
    }
}
