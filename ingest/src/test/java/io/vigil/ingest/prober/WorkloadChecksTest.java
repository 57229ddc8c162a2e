package io.vigil.ingest.prober;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vigil.schemas.DataplaneKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The TCP and HTTP checks against real listeners on 127.0.0.1. */
class WorkloadChecksTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void tcpIsHealthyWhileSomethingListensAndRefusedOnceItCloses() throws IOException {
        InetSocketAddress address;
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            address = new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
            assertThat(new TcpConnectCheck().check(address, target(null)).block(WAIT)).isEqualTo(new CheckOutcome(true, "connected"));
        }
        assertThat(new TcpConnectCheck().check(address, target(null)).block(WAIT)).isEqualTo(new CheckOutcome(false, "connect refused"));
    }

    @Test
    void httpIsHealthyOn2xxAnd3xxAndNotOtherwiseWithoutFollowingRedirects() throws IOException {
        AtomicInteger status = new AtomicInteger(200);
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthz", exchange -> {
            requests.incrementAndGet();
            if (status.get() == 302) {
                exchange.getResponseHeaders().add("Location", "/elsewhere");
            }
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        try {
            InetSocketAddress address = server.getAddress();
            HttpGetCheck check = new HttpGetCheck();
            assertThat(check.check(address, target("/healthz")).block(WAIT)).isEqualTo(new CheckOutcome(true, "HTTP 200"));
            status.set(302);
            assertThat(check.check(address, target("/healthz")).block(WAIT)).isEqualTo(new CheckOutcome(true, "HTTP 302"));
            status.set(503);
            assertThat(check.check(address, target("/healthz")).block(WAIT)).isEqualTo(new CheckOutcome(false, "HTTP 503"));
            assertThat(check.check(address, target("/missing")).block(WAIT)).isEqualTo(new CheckOutcome(false, "HTTP 404"));
            assertThat(requests.get()).as("the redirect was not followed").isEqualTo(3);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void httpToAClosedPortIsAnUnhealthyOutcomeNotAnError() throws IOException {
        InetSocketAddress address;
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            address = new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
        }
        CheckOutcome outcome = new HttpGetCheck().check(address, target("/healthz")).block(WAIT);
        assertThat(outcome.healthy()).isFalse();
        assertThat(outcome.detail()).isEqualTo("HTTP GET connect refused");
    }

    static ProbeTarget target(String httpPath) {
        return new ProbeTarget(new DataplaneKey("default", "web-01"), 8080, "127.0.0.1", 8080,
                new ProbeSettings(1_000, 2_000, 1, 1, httpPath));
    }
}
