package io.vigil.ingest.prober;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * The {@code http: {path}} check Kuma lacks (kumahq/kuma#13549): a GET of the path; a 2xx or 3xx
 * status is healthy (redirects are not followed: they could lead anywhere, including outside the
 * allowed networks). The request goes to the resolved, allowed address, never to a name looked
 * up again. Thread-safe; one HTTP client serves every check.
 */
public final class HttpGetCheck implements WorkloadCheck {

    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    @Override
    public Mono<CheckOutcome> check(InetSocketAddress workload, ProbeTarget target) {
        String host = workload.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + workload.getPort() + target.settings().httpPath()))
                .timeout(Duration.ofMillis(target.settings().timeoutMillis()))
                .GET()
                .build();
        return Mono.fromFuture(() -> client.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .map(response -> outcome(response.statusCode()))
                .onErrorResume(failure -> Mono.just(CheckOutcome.unhealthy("HTTP GET " + TcpConnectCheck.describe(failure))));
    }

    private static CheckOutcome outcome(int status) {
        return status >= 200 && status < 400 ? CheckOutcome.healthy("HTTP " + status) : CheckOutcome.unhealthy("HTTP " + status);
    }
}
