package io.vigil.ingest.prober;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedNetworksTest {

    private static final AllowedNetworks DEFAULT = AllowedNetworks.of(List.of("127.0.0.0/8", "::1/128"));

    @Test
    void theDefaultAllowsLoopbackOnly() {
        assertThat(DEFAULT.allows(ip("127.0.0.1"))).isTrue();
        assertThat(DEFAULT.allows(ip("127.255.255.254"))).isTrue();
        assertThat(DEFAULT.allows(ip("::1"))).isTrue();
        assertThat(DEFAULT.allows(ip("::ffff:127.0.0.1"))).as("IPv4-mapped loopback is loopback").isTrue();
        assertThat(DEFAULT.allows(ip("128.0.0.1"))).isFalse();
        assertThat(DEFAULT.allows(ip("126.255.255.255"))).isFalse();
        assertThat(DEFAULT.allows(ip("10.1.2.3"))).isFalse();
        assertThat(DEFAULT.allows(ip("::2"))).isFalse();
        assertThat(DEFAULT.allows(ip("fe80::1"))).isFalse();
    }

    @Test
    void prefixesThatEndInsideAByteCompareOnlyTheirBits() {
        AllowedNetworks slash20 = AllowedNetworks.of(List.of("10.1.16.0/20"));
        assertThat(slash20.allows(ip("10.1.16.0"))).isTrue();
        assertThat(slash20.allows(ip("10.1.31.255"))).isTrue();
        assertThat(slash20.allows(ip("10.1.32.0"))).isFalse();
        assertThat(slash20.allows(ip("10.1.15.255"))).isFalse();

        AllowedNetworks v6 = AllowedNetworks.of(List.of("fd00:ab::/33"));
        assertThat(v6.allows(ip("fd00:ab:7fff::1"))).isTrue();
        assertThat(v6.allows(ip("fd00:ab:8000::1"))).isFalse();
    }

    @Test
    void edgePrefixesMatchEverythingOrOneHost() {
        assertThat(AllowedNetworks.of(List.of("0.0.0.0/0")).allows(ip("203.0.113.9"))).isTrue();
        assertThat(AllowedNetworks.of(List.of("0.0.0.0/0")).allows(ip("::1"))).as("an IPv4 network holds no IPv6 address").isFalse();
        assertThat(AllowedNetworks.of(List.of("::/0")).allows(ip("2001:db8::1"))).isTrue();
        assertThat(AllowedNetworks.of(List.of("127.0.0.7/32")).allows(ip("127.0.0.7"))).isTrue();
        assertThat(AllowedNetworks.of(List.of("127.0.0.7/32")).allows(ip("127.0.0.6"))).isFalse();
        assertThat(AllowedNetworks.of(List.of("127.0.0.7")).allows(ip("127.0.0.6"))).as("a bare address is one host").isFalse();
        assertThat(AllowedNetworks.of(List.of()).allows(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void badNetworksFailNamingTheEntry() {
        assertThatThrownBy(() -> AllowedNetworks.of(List.of("127.0.0.0/8", "localhost/8")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'localhost/8'").hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> AllowedNetworks.of(List.of("127.0.0.0/33")))
                .hasMessageContaining("'127.0.0.0/33'").hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> AllowedNetworks.of(List.of("::1/129"))).hasMessageContaining("0 to 128");
        assertThatThrownBy(() -> AllowedNetworks.of(List.of("10.0.0.0/x"))).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> AllowedNetworks.of(List.of("10.0.0.0/-1"))).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> AllowedNetworks.of(List.of("10.0.0.256/32"))).hasMessageContaining("not an IP address");
    }

    private static InetAddress ip(String literal) {
        return IpLiteral.parse(literal);
    }
}
