package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A process without the ingest role answers a write 404; one whose ingest role is still starting
 * (waiting for vigil's topics) answers 503 with Retry-After, so that clients retry instead of
 * concluding that writes go elsewhere. Neither reads the body or writes anything.
 */
class WriteApiStartingTest {

    private final WriteApi api = new WriteApi();
    private final EventsResource resource = new EventsResource(api, null, new IngestMetrics(new SimpleMeterRegistry()));

    @Test
    void aProcessWithoutTheIngestRoleAnswers404() throws IOException {
        Response response = post();

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(api.expected()).isFalse();
    }

    @Test
    void anIngestRoleThatIsStillStartingAnswers503WithRetryAfter() throws IOException {
        api.expect();

        Response response = post();

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        Map<?, ?> body = (Map<?, ?>) response.getEntity();
        assertThat(body.get("status")).isEqualTo(503);
        assertThat(body.get("error").toString()).contains("ingest role is starting");
    }

    private Response post() throws IOException {
        return resource.append("application/json", "Bearer any", new ByteArrayInputStream("[]".getBytes()));
    }
}
