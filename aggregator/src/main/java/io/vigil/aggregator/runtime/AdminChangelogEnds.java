package io.vigil.aggregator.runtime;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;

/** {@link ChangelogEnds} from the partitions' leaders, asked with {@code read_uncommitted} isolation. */
final class AdminChangelogEnds implements ChangelogEnds {

    private final Admin admin;

    AdminChangelogEnds(Admin admin) {
        this.admin = admin;
    }

    @Override
    public Map<TopicPartition, Long> of(Collection<TopicPartition> changelogs) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        changelogs.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        try {
            Map<TopicPartition, ListOffsetsResultInfo> answers =
                    admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get();
            Map<TopicPartition, Long> ends = new HashMap<>();
            answers.forEach((partition, info) -> ends.put(partition, info.offset()));
            return ends;
        } catch (InterruptedException e) {
            throw new InterruptException("interrupted while reading the end of " + changelogs, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KafkaException kafkaError) {
                throw kafkaError;
            }
            throw new KafkaException("cannot read the end of " + changelogs + ": " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
