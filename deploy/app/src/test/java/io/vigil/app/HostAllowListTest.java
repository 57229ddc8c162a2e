package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostAllowListTest {

    private final HostAllowList allowed = HostAllowList.of(List.of("vigil.example.com", " 127.0.0.1 ", "[::1]"));

    @Test
    void hostsMatchWithoutCaseBracketsOrATrailingDot() {
        assertThat(allowed.allows("vigil.example.com")).isTrue();
        assertThat(allowed.allows("VIGIL.Example.com.")).isTrue();
        assertThat(allowed.allows("127.0.0.1")).isTrue();
        assertThat(allowed.allows("::1")).isTrue();
        assertThat(allowed.allows("[::1]")).isTrue();
    }

    @Test
    void anyOtherHostOrNoneIsRefused() {
        assertThat(allowed.allows("evil.example")).isFalse();
        assertThat(allowed.allows("vigil.example.com.evil.example")).isFalse();
        assertThat(allowed.allows("127.0.0.2")).isFalse();
        assertThat(allowed.allows("")).isFalse();
        assertThat(allowed.allows(null)).isFalse();
    }

    @Test
    void anEntryWithAPortOrAnEmptyOneIsRefusedByName() {
        assertThatThrownBy(() -> HostAllowList.of(List.of("vigil.example.com:8080"))).hasMessageContaining("'vigil.example.com:8080' has a port");
        assertThatThrownBy(() -> HostAllowList.of(List.of("[::1]:8443"))).hasMessageContaining("has a port");
        assertThatThrownBy(() -> HostAllowList.of(List.of("ok", " "))).hasMessageContaining("an empty host name");
    }
}
