package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The keys that split into several names, whatever a service is called. */
class KeyFormatTest {

    @Test
    void aServiceMembersEndpointsKeySplitsAtTheFirstAndLastSlash() {
        assertThat(KeyFormat.splitServiceEndpoints(KeyFormat.serviceEndpoints("m", "web/api", "dp-1")))
                .containsExactly("m", "web/api", "dp-1");
        assertThatThrownBy(() -> KeyFormat.splitServiceEndpoints("m/web")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMembersChangelogKeyNeverEqualsAServicesKey() {
        String member = KeyFormat.serviceMember("m", "web/api", "dp-1");

        assertThat(KeyFormat.isServiceMember(member)).isTrue();
        assertThat(KeyFormat.splitServiceMember(member)).containsExactly("m", "web/api", "dp-1");
        // A service named like "dataplane/service" still has a key that is no member's.
        assertThat(KeyFormat.isServiceMember(KeyFormat.of("m", "dp-1/web/api"))).isFalse();
        assertThat(KeyFormat.isServiceMember(KeyFormat.of("m", "web\u001fodd"))).isFalse();
        assertThatThrownBy(() -> KeyFormat.splitServiceMember("m/web")).isInstanceOf(IllegalArgumentException.class);
    }
}
