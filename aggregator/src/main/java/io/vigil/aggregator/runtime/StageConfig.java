package io.vigil.aggregator.runtime;

import io.vigil.schemas.WireFormat;
import java.time.Duration;

/**
 * How a stage batches, commits and joins its group (the Kafka connection itself comes from {@code KafkaClients}).
 *
 * @param instanceId       stable across restarts of one instance (it names the transactional
 *                         producer, so a restarted instance aborts its predecessor's open
 *                         transaction at once instead of waiting for it to time out)
 * @param commitInterval   a transaction commits when its first record is this old...
 * @param maxBatchRecords  ...or when it holds this many input records...
 * @param transactionTimeout how long an instance that died mid-transaction can hold back
 *                         {@code read_committed} readers before the broker aborts it
 * @param sessionTimeout   how long the group waits for a silent instance before giving its
 *                         partitions to another
 * @param maxRecordBytes   the largest record the stage writes (key, value and headers); a larger
 *                         one is dead-lettered instead, so it cannot fail the transaction. Keep it
 *                         at most the producer's {@code max.request.size} and the topics'
 *                         {@code max.message.bytes} (both 1 MiB by default)
 * @param wireFormat       how values go on the topics ({@link WireFormat#SINGLE_OBJECT} unless in
 *                         registry mode); the limit above counts the values as framed
 * @param commitWhenDrained ...or, when true, as soon as the input partitions are read to their
 *                         end (natural batching: at a low rate a change commits right after its
 *                         event instead of waiting out the interval; under load the input is
 *                         never read to its end and batches grow to the interval or the record
 *                         limit), at the cost of more transactions, which the broker pays for.
 *                         False (the default) commits on the interval and the record limit only
 */
public record StageConfig(String instanceId, Duration commitInterval, int maxBatchRecords,
                          Duration transactionTimeout, Duration sessionTimeout, int maxRecordBytes, WireFormat wireFormat,
                          boolean commitWhenDrained) {

    /** Below Kafka's 1 MiB defaults, with room for a batch's own header. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1_000_000;

    public StageConfig {
        if (instanceId == null || instanceId.isBlank()) {
            throw new IllegalArgumentException("instanceId is required");
        }
        if (commitInterval.isNegative() || maxBatchRecords < 1) {
            throw new IllegalArgumentException("commitInterval must be >= 0 and maxBatchRecords >= 1");
        }
        if (maxRecordBytes < 1024) {
            throw new IllegalArgumentException("maxRecordBytes must be >= 1024, got " + maxRecordBytes);
        }
        if (wireFormat == null) {
            throw new IllegalArgumentException("wireFormat is required");
        }
    }

    /** Single-object encoding on every topic, committing on the interval and the record limit only. */
    public StageConfig(String instanceId, Duration commitInterval, int maxBatchRecords,
                       Duration transactionTimeout, Duration sessionTimeout, int maxRecordBytes) {
        this(instanceId, commitInterval, maxBatchRecords, transactionTimeout, sessionTimeout, maxRecordBytes, WireFormat.SINGLE_OBJECT, false);
    }

    /** The same stage writing its values in {@code format}. */
    public StageConfig withWireFormat(WireFormat format) {
        return new StageConfig(instanceId, commitInterval, maxBatchRecords, transactionTimeout, sessionTimeout, maxRecordBytes, format,
                commitWhenDrained);
    }

    /** The same stage committing when its input is drained ({@code true}) or on the interval and record limit only. */
    public StageConfig withCommitWhenDrained(boolean drained) {
        return new StageConfig(instanceId, commitInterval, maxBatchRecords, transactionTimeout, sessionTimeout, maxRecordBytes, wireFormat,
                drained);
    }

    public static StageConfig defaults(String instanceId) {
        return new StageConfig(instanceId, Duration.ofMillis(100), 5_000, Duration.ofSeconds(10),
                Duration.ofSeconds(10), DEFAULT_MAX_RECORD_BYTES);
    }
}
