package io.vigil.aggregator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.avro.DataplaneEvent;
import java.util.List;

/** What every pipeline test checks of a {@code read_committed} follower against {@code vigil replay}. */
public final class ReplayAssertions {

    private ReplayAssertions() {
    }

    /**
     * Every entity's versions run 1..n once; each inbound's and each proxy's changes equal
     * replay's one by one; each service ends as replay's (its intermediate states may coalesce),
     * its endpoint parts adding up to replay's endpoints.
     */
    public static void assertFollowerSawTheReplay(ChangeTopicReader live, List<DataplaneEvent> events) {
        LiveEqualsReplayTest.Replay replay = LiveEqualsReplayTest.Replay.of(events);
        assertThat(live.inbound()).isNotEmpty();
        assertThat(Versions.gaps(live)).isEmpty();
        assertThat(LiveEqualsReplayTest.sequences(live.inbound(), c -> c.getMesh() + "/" + c.getDataplane() + "/" + c.getPort()))
                .isEqualTo(LiveEqualsReplayTest.sequences(replay.inbound(), c -> c.getMesh() + "/" + c.getDataplane() + "/" + c.getPort()));
        assertThat(LiveEqualsReplayTest.sequences(live.proxy(), c -> c.getMesh() + "/" + c.getDataplane()))
                .isEqualTo(LiveEqualsReplayTest.sequences(replay.proxy(), c -> c.getMesh() + "/" + c.getDataplane()));
        assertThat(LiveEqualsReplayTest.finalServices(live.service())).isEqualTo(replay.services());
        assertThat(live.serviceEndpoints()).isEqualTo(replay.serviceEndpoints());
    }
}
