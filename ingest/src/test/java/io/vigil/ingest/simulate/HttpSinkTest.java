package io.vigil.ingest.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.vigil.avro.DataplaneEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP side of the simulator against a loopback stand-in for {@code POST /api/v1/events}. */
class HttpSinkTest {

    private final HttpServer server;
    private final AtomicInteger unavailableLeft = new AtomicInteger();
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private volatile int status = 202;

    HttpSinkTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/events", exchange -> {
            bodies.add(exchange.getRequestHeaders().getFirst("Authorization") + " " + exchange.getRequestHeaders().getFirst("Content-Type")
                    + "\n" + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int answer = unavailableLeft.getAndDecrement() > 0 ? 503 : status;
            byte[] body = ("{\"status\": " + answer + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpSink sink() {
        return new HttpSink("http://127.0.0.1:" + server.getAddress().getPort() + "/", "s3cr3t");
    }

    private static List<DataplaneEvent> batch() {
        FleetGenerator generator = new FleetGenerator(new FleetShape("default", 3, 1, 1, 0, 0), 1, Instant.EPOCH, "t");
        return List.of(generator.next(), generator.next());
    }

    @Test
    void postsJsonLinesWithTheBearerToken() throws Exception {
        sink().send(batch());
        assertThat(bodies).hasSize(1);
        assertThat(bodies.get(0)).startsWith("Bearer s3cr3t application/x-ndjson\n{\"").hasLineCount(3);
    }

    @Test
    void unavailableIsRetriedWithTheSameEvents() throws Exception {
        unavailableLeft.set(2);
        sink().send(batch());
        assertThat(bodies).hasSize(3);
        assertThat(bodies.get(2)).isEqualTo(bodies.get(0));
    }

    @Test
    void aRefusedTokenIsFatalAndABadRequestIsNot() {
        status = 403;
        assertThatThrownBy(() -> sink().send(batch())).isInstanceOfSatisfying(SimulationSink.SendFailure.class,
                failure -> assertThat(failure.fatal()).isTrue());
        status = 400;
        assertThatThrownBy(() -> sink().send(batch())).isInstanceOfSatisfying(SimulationSink.SendFailure.class,
                failure -> assertThat(failure.fatal()).isFalse());
        assertThat(bodies).hasSize(2);
    }
}
