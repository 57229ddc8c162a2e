package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.WireFormat;
import io.vigil.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code vigil serve}'s start-up in and out of registry mode, short of a registry (RegistryModeTest
 * in deploy/examples runs a real one).
 */
class SchemaRegistryModeTest {

    @Test
    void withoutAUrlTheStagesWriteSingleObjectEncoding() {
        SchemaRegistryMode mode = new SchemaRegistryMode(Optional.empty());

        mode.start();

        assertThat(mode.wireFormat()).isSameAs(WireFormat.SINGLE_OBJECT);
    }

    @Test
    void anUnreachableRegistryFailsStartUpNamingTheSubjectButNotThePassword() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        SchemaRegistryMode mode = new SchemaRegistryMode(Optional.of("http://vigil:s3cret@127.0.0.1:" + closed + "/apis/ccompat/v7"));

        assertThatThrownBy(mode::start).isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("subject vigil.inbound-health-value")
                .hasMessageContaining("http://127.0.0.1:" + closed + "/apis/ccompat/v7 is unreachable")
                .message().doesNotContain("s3cret");
        assertThat(mode.wireFormat()).isSameAs(WireFormat.SINGLE_OBJECT);
    }

    @Test
    void aUrlThatIsNotHttpFailsStartUp() {
        assertThatThrownBy(new SchemaRegistryMode(Optional.of("registry:8080"))::start)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be http://HOST[:PORT][/PATH]");
    }
}
