package io.vigil.ingest;

import io.vigil.avro.Container;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.DataplaneUpserted;
import io.vigil.avro.Gateway;
import io.vigil.avro.Inbound;
import io.vigil.avro.Networking;
import io.vigil.avro.PodReadiness;
import io.vigil.avro.ProbeResult;
import io.vigil.avro.ServiceProbe;
import io.vigil.avro.StreamConnected;
import io.vigil.avro.StreamDisconnected;
import io.vigil.schemas.Problem;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The write API's per-tenant limits: what one event may hold, so that no tenant can grow records,
 * state or probe load without bound. Checked on decoded events before anything is written; a
 * breach is a problem of its event, with the path the event's JSON has, like a decoding problem.
 * Replay and the aggregator do not apply them: a log written under other limits still replays.
 * Immutable and thread-safe.
 *
 * @param maxTextLength    longest string in characters: tag keys and values, addresses, probe
 *                         paths, probe details, control-plane instance and stream ids, container names
 * @param maxInbounds      inbounds per dataplane
 * @param maxTags          tags per inbound or gateway
 * @param maxContainers    containers per pod readiness fact
 * @param minProbeInterval shortest {@code serviceProbe.interval}; a timeout may not exceed its interval
 */
public record EventLimits(int maxTextLength, int maxInbounds, int maxTags, int maxContainers, Duration minProbeInterval) {

    public static final EventLimits DEFAULTS = new EventLimits(1024, 64, 32, 64, Duration.ofSeconds(1));

    public EventLimits {
        if (maxTextLength < 1 || maxInbounds < 1 || maxTags < 1 || maxContainers < 1) {
            throw new IllegalArgumentException("event limits must be at least 1");
        }
        if (minProbeInterval.isNegative()) {
            throw new IllegalArgumentException("the shortest probe interval must not be negative, got " + minProbeInterval);
        }
    }

    /** Every limit {@code event} breaks, with paths relative to the event; empty when it keeps them all. */
    public List<Problem> check(DataplaneEvent event) {
        List<Problem> problems = new ArrayList<>(0);
        Object payload = event.getPayload();
        if (payload instanceof DataplaneUpserted upserted) {
            networking(upserted.getSpec().getNetworking(), problems);
        } else if (payload instanceof StreamConnected connected) {
            text("instance", connected.getInstance(), problems);
            text("stream", connected.getStream(), problems);
        } else if (payload instanceof StreamDisconnected disconnected) {
            text("instance", disconnected.getInstance(), problems);
            text("stream", disconnected.getStream(), problems);
        } else if (payload instanceof ProbeResult result) {
            text("detail", result.getDetail(), problems);
        } else if (payload instanceof PodReadiness pod) {
            containers(pod.getContainers(), problems);
        }
        return problems;
    }

    private void networking(Networking networking, List<Problem> problems) {
        String at = "spec.networking";
        text(at + ".address", networking.getAddress(), problems);
        List<Inbound> inbounds = networking.getInbound();
        if (inbounds.size() > maxInbounds) {
            problems.add(new Problem(at + ".inbound", "at most " + maxInbounds + " inbounds per dataplane, got " + inbounds.size()));
        }
        for (int i = 0; i < inbounds.size(); i++) {
            Inbound inbound = inbounds.get(i);
            String in = at + ".inbound[" + i + "]";
            text(in + ".address", inbound.getAddress(), problems);
            tags(in + ".tags", inbound.getTags(), problems);
            if (inbound.getServiceProbe() != null) {
                serviceProbe(in + ".serviceProbe", inbound.getServiceProbe(), problems);
            }
        }
        Gateway gateway = networking.getGateway();
        if (gateway != null) {
            tags(at + ".gateway.tags", gateway.getTags(), problems);
        }
    }

    private void serviceProbe(String at, ServiceProbe probe, List<Problem> problems) {
        Long interval = probe.getIntervalMillis();
        if (interval != null && interval < minProbeInterval.toMillis()) {
            problems.add(new Problem(at + ".interval", "at least " + describe(minProbeInterval) + ", got " + interval + "ms"));
        }
        Long timeout = probe.getTimeoutMillis();
        if (interval != null && timeout != null && timeout > interval) {
            problems.add(new Problem(at + ".timeout", "at most the interval (" + interval + "ms), got " + timeout + "ms"));
        }
        if (probe.getHttp() != null) {
            String path = probe.getHttp().getPath();
            if (text(at + ".http.path", path, problems)) {
                httpPath(at + ".http.path", path, problems);
            }
        }
    }

    /** A request path the prober can send as it is: absolute, no scheme or authority, no fragment, no spaces. */
    private static void httpPath(String at, String path, List<Problem> problems) {
        String problem = null;
        if (!path.startsWith("/") || path.startsWith("//")) {
            problem = "expected an absolute path starting with a single /, got \"" + path + "\"";
        } else {
            try {
                URI uri = new URI(path);
                if (uri.getRawFragment() != null) {
                    problem = "expected a path without a #fragment";
                }
            } catch (URISyntaxException e) {
                problem = "expected a valid URI path (characters such as spaces must be %-encoded): " + e.getReason();
            }
        }
        if (problem != null) {
            problems.add(new Problem(at, problem));
        }
    }

    private void tags(String at, Map<String, String> tags, List<Problem> problems) {
        if (tags == null) {
            return;
        }
        if (tags.size() > maxTags) {
            problems.add(new Problem(at, "at most " + maxTags + " tags, got " + tags.size()));
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey().length() > maxTextLength) {
                problems.add(new Problem(at, "a tag name of " + tag.getKey().length() + " characters; at most " + maxTextLength));
            }
            // Tag names such as kuma.io/service hold dots: quoted, as the decoder's paths quote them.
            text(at + "[\"" + tag.getKey().replace("\\", "\\\\").replace("\"", "\\\"") + "\"]", tag.getValue(), problems);
        }
    }

    private void containers(List<Container> containers, List<Problem> problems) {
        if (containers.size() > maxContainers) {
            problems.add(new Problem("containers", "at most " + maxContainers + " containers, got " + containers.size()));
        }
        for (int i = 0; i < containers.size(); i++) {
            text("containers[" + i + "].name", containers.get(i).getName(), problems);
        }
    }

    /** @return whether {@code value} is absent or within {@link #maxTextLength} */
    private boolean text(String at, String value, List<Problem> problems) {
        if (value != null && value.length() > maxTextLength) {
            problems.add(new Problem(at, "at most " + maxTextLength + " characters, got " + value.length()));
            return false;
        }
        return true;
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
