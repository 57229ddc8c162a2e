package io.vigil.ingest.prober;

import io.vigil.schemas.GoDuration;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import org.jboss.logging.Logger;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs one check of one target: resolves its address, refuses it unless every address lies in
 * the allowed networks (SPEC section 8), then runs the TCP or HTTP check under the target's
 * timeout. A refused target opens no connection and yields no outcome; its refusal is logged and
 * counted once. Thread-safe.
 */
public final class ProbeRunner {

    private static final Logger LOG = Logger.getLogger(ProbeRunner.class);

    private final AllowedNetworks allowed;
    private final ProbeTargets targets;
    private final WorkloadCheck tcp;
    private final WorkloadCheck http;
    private final ProberMetrics metrics;

    public ProbeRunner(AllowedNetworks allowed, ProbeTargets targets, WorkloadCheck tcp, WorkloadCheck http, ProberMetrics metrics) {
        this.allowed = allowed;
        this.targets = targets;
        this.tcp = tcp;
        this.http = http;
        this.metrics = metrics;
    }

    /** The check's outcome, or empty when the target was refused. Never errors. */
    public Mono<CheckOutcome> run(ProbeTarget target) {
        return resolve(target.address())
                .flatMap(addresses -> {
                    if (!Arrays.stream(addresses).allMatch(allowed::allows)) {
                        refuse(target, addresses);
                        return Mono.<CheckOutcome>empty();
                    }
                    return check(target, new InetSocketAddress(addresses[0], target.workloadPort()));
                })
                .onErrorResume(UnknownHostException.class,
                        e -> Mono.just(CheckOutcome.unhealthy("cannot resolve " + target.address())));
    }

    private Mono<CheckOutcome> check(ProbeTarget target, InetSocketAddress workload) {
        WorkloadCheck kind = target.settings().httpPath() != null ? http : tcp;
        long timeout = target.settings().timeoutMillis();
        return kind.check(workload, target)
                .timeout(Duration.ofMillis(timeout), Mono.fromSupplier(() -> CheckOutcome.unhealthy("timeout after " + GoDuration.format(timeout))))
                .doOnNext(metrics::checked);
    }

    /** IP literals are parsed on the spot; host names are looked up off the scheduler's threads, as lookups block. */
    private static Mono<InetAddress[]> resolve(String address) {
        InetAddress literal = IpLiteral.parse(address);
        if (literal != null) {
            return Mono.just(new InetAddress[] {literal});
        }
        return Mono.fromCallable(() -> InetAddress.getAllByName(address)).subscribeOn(Schedulers.boundedElastic());
    }

    private void refuse(ProbeTarget target, InetAddress[] addresses) {
        if (targets.firstRefusal(target)) {
            metrics.refused();
            LOG.warnf("prober refuses %s: %s is outside vigil.prober.allowed-networks; the inbound stays not ready",
                    target.describe(), Arrays.stream(addresses).map(InetAddress::getHostAddress).toList());
        }
    }
}
