package io.vigil.ingest.prober;

import io.vigil.schemas.GoDuration;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs one check of one target: resolves its address, refuses it unless every address lies in
 * the allowed networks (SPEC section 8), then runs the TCP or HTTP check. The target's timeout
 * covers the whole check, name resolution included: a host that does not resolve in time, or at
 * all, is an unhealthy outcome with its reason, never a hang. A refused target opens no
 * connection and yields no outcome; its refusal is logged and counted once. Thread-safe.
 */
public final class ProbeRunner {

    private static final Logger LOG = Logger.getLogger(ProbeRunner.class);

    private final AllowedNetworks allowed;
    private final ProbeTargets targets;
    private final WorkloadCheck tcp;
    private final WorkloadCheck http;
    private final ProberMetrics metrics;
    private final HostResolver resolver;

    /** Looks a host name up; may block. {@code InetAddress::getAllByName} in production. */
    @FunctionalInterface
    public interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    public ProbeRunner(AllowedNetworks allowed, ProbeTargets targets, WorkloadCheck tcp, WorkloadCheck http, ProberMetrics metrics) {
        this(allowed, targets, tcp, http, metrics, InetAddress::getAllByName);
    }

    public ProbeRunner(AllowedNetworks allowed, ProbeTargets targets, WorkloadCheck tcp, WorkloadCheck http, ProberMetrics metrics,
                       HostResolver resolver) {
        this.resolver = resolver;
        this.allowed = allowed;
        this.targets = targets;
        this.tcp = tcp;
        this.http = http;
        this.metrics = metrics;
    }

    /** The check's outcome, or empty when the target was refused. Never errors. */
    public Mono<CheckOutcome> run(ProbeTarget target) {
        long timeout = target.settings().timeoutMillis();
        AtomicBoolean resolved = new AtomicBoolean();
        return resolve(target.address())
                .flatMap(addresses -> {
                    resolved.set(true);
                    if (!Arrays.stream(addresses).allMatch(allowed::allows)) {
                        refuse(target, addresses);
                        return Mono.<CheckOutcome>empty();
                    }
                    WorkloadCheck kind = target.settings().httpPath() != null ? http : tcp;
                    return kind.check(new InetSocketAddress(addresses[0], target.workloadPort()), target);
                })
                .onErrorResume(UnknownHostException.class,
                        e -> Mono.just(CheckOutcome.unhealthy("cannot resolve " + target.address())))
                .timeout(Duration.ofMillis(timeout), Mono.fromSupplier(() -> CheckOutcome.unhealthy("timeout after "
                        + GoDuration.format(timeout) + (resolved.get() ? "" : " resolving " + target.address()))))
                .doOnNext(metrics::checked);
    }

    /**
     * IP literals are parsed on the spot; host names are looked up off the scheduler's threads, as
     * lookups block. A lookup that outlives the check's timeout is abandoned, not interrupted.
     */
    private Mono<InetAddress[]> resolve(String address) {
        InetAddress literal = IpLiteral.parse(address);
        if (literal != null) {
            return Mono.just(new InetAddress[] {literal});
        }
        return Mono.fromCallable(() -> resolver.resolve(address)).subscribeOn(Schedulers.boundedElastic());
    }

    private void refuse(ProbeTarget target, InetAddress[] addresses) {
        if (targets.firstRefusal(target)) {
            metrics.refused();
            LOG.warnf("prober refuses %s: %s is outside vigil.prober.allowed-networks; the inbound stays not ready",
                    target.describe(), Arrays.stream(addresses).map(InetAddress::getHostAddress).toList());
        }
    }
}
