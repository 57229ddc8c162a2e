package io.vigil.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vigil.projections.ProjectionsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The {@code vigil.*} settings; README.md lists each with its environment variable. */
@ConfigMapping(prefix = "vigil")
public interface VigilConfig {

    /** The roles this process runs, as on {@code vigil serve --roles}. */
    @WithDefault(Role.DEFAULT_NAMES)
    List<String> roles();

    /** Where vigil keeps its files (and the embedded broker its data). */
    @WithDefault(".vigil")
    String dataDir();

    /** Tokens for the API (SPEC section 6, README "Security"); without it an admin token is created in the data dir. */
    Optional<String> tokensFile();

    /** Whether the read API (REST, live stream, history) needs a bearer token; a mesh-scoped token reads only its meshes. */
    @WithDefault("false")
    boolean requireReadToken();

    Http http();

    /** vigil's own rules for every HTTP request (TLS and ports are Quarkus' {@code quarkus.http.*}). */
    interface Http {

        /**
         * The host names (or addresses) requests may name in their Host header; any other gets 421.
         * None (the default) answers every host. A guard against DNS rebinding.
         */
        Optional<List<String>> allowedHosts();
    }

    /** Where vigil is installed; {@code ./vigil} sets it, a plain {@code java -jar} finds it from the jar. */
    Optional<String> home();

    /**
     * Which Kafka the test suite runs on: {@code embedded} (the default) or {@code testcontainers}
     * ({@code -Dvigil.kafka=testcontainers}, read by the test support in vigil-embedded-kafka).
     * The application itself ignores it; it is declared so that the switch, being under the
     * {@code vigil} prefix, does not fail the test applications' configuration validation.
     */
    Optional<String> kafka();

    Topics topics();

    SchemaRegistry schemaRegistry();

    /** Registry mode (README "Consuming vigil's topics"): off unless a URL is given. */
    interface SchemaRegistry {

        /**
         * The Confluent-compatible API of the schema registry (Apicurio 3: {@code http://HOST:8080/apis/ccompat/v7}),
         * optionally with {@code user:password@}: vigil registers the product topics' schemas there and writes
         * their values in the registry wire format.
         */
        Optional<String> url();
    }

    Aggregator aggregator();

    Ingest ingest();

    /** The ingest role's write API. */
    interface Ingest {

        /** Largest body POST /api/v1/events accepts (413 above). */
        @WithDefault("5242880")
        long maxBodyBytes();

        /** Largest event as a Kafka record, key and value (413 above); at most the producer's max.request.size. */
        @WithDefault("1000000")
        int maxEventBytes();

        /** How long a POST waits for Kafka to acknowledge all its events (503 after). */
        @WithDefault("PT30S")
        Duration requestTimeout();

        /** What one event may hold (400 above). */
        Limits limits();

        /**
         * Deletes a dataplane disconnected longer than this through a dataplane-deleted event in
         * the event log (off when unset), as Kuma and Consul clean up stale dataplanes.
         */
        Optional<Duration> staleAfter();

        /** Per-tenant limits of one event. */
        interface Limits {

            /** Longest string: tag names and values, addresses, probe paths and details, instance and stream ids. */
            @WithDefault("1024")
            int maxTextLength();

            /** Inbounds per dataplane. */
            @WithDefault("64")
            int maxInbounds();

            /** Tags per inbound or gateway. */
            @WithDefault("32")
            int maxTags();

            /** Containers per pod-readiness fact. */
            @WithDefault("64")
            int maxContainers();

            /** Shortest serviceProbe interval; a probe timeout may never exceed its interval. */
            @WithDefault("PT1S")
            Duration minProbeInterval();

            /** Dataplanes one mesh may have; none (the default) means no cap. */
            OptionalInt maxDataplanesPerMesh();
        }
    }

    Probe probe();

    K8sWatcher k8sWatcher();

    /** The k8s-watcher role: which pods it watches (it needs get, list and watch on pods there). */
    interface K8sWatcher {

        /** Namespaces to watch; none (the default) means every namespace, which needs a ClusterRole. */
        Optional<List<String>> namespaces();

        /** Only pods matching this label selector (e.g. {@code app.kubernetes.io/part-of=shop}); default: every pod. */
        Optional<String> labelSelector();

        /** How often the informers replay their store; a fact whose write to Kafka failed is written again then. */
        @WithDefault("PT5M")
        Duration resync();
    }

    Prober prober();

    /** The prober role (SPEC section 8): where it may connect and how many checks it runs at once. */
    interface Prober {

        /** CIDR networks the prober may connect to; any other target is refused (no connection, no result). */
        @WithDefault("127.0.0.0/8,::1/128")
        List<String> allowedNetworks();

        /** Checks in flight at once; more due checks wait for a free slot. */
        @WithDefault("256")
        int maxConcurrency();

        /** Checks of one mesh in flight at once, so that no mesh takes every slot; its other due checks wait. */
        @WithDefault("64")
        int maxConcurrencyPerMesh();

        /** How often the prober looks for due checks: a check starts at most this late. */
        @WithDefault("PT0.05S")
        Duration tick();
    }
    /** The projections role: the live stream's and the history's limits ({@code vigil.projections.stream.*, .history.*}), defaults in one place. */
    ProjectionsConfig projections();

    /** The aggregator role's two stages. */
    interface Aggregator {

        /** Names this instance's transactional producers; stable across restarts (default: from the host and the data dir). */
        Optional<String> instanceId();

        /** A transaction commits when its first record is this old. */
        @WithDefault("PT0.1S")
        Duration commitInterval();

        /** ...or when it holds this many input records. */
        @WithDefault("5000")
        int maxBatchRecords();

        /** ...or, when true, as soon as the input is read to its end (lower latency at low rates, more transactions). */
        @WithDefault("false")
        boolean commitWhenDrained();

        /** How long an instance that died mid-transaction can hold back read_committed readers. */
        @WithDefault("PT10S")
        Duration transactionTimeout();

        /** How long the group waits for a silent instance before moving its partitions. */
        @WithDefault("PT10S")
        Duration sessionTimeout();

        /** The largest record a stage writes; a larger one goes to the dead-letter topic instead. */
        @WithDefault("1000000")
        int maxRecordBytes();
    }

    /** Defaults of serviceProbe fields (like Kuma's KUMA_DP_SERVER_HDS_CHECK_*); every aggregator and replay must agree. */
    interface Probe {

        @WithDefault("PT1S")
        Duration interval();

        @WithDefault("PT2S")
        Duration timeout();

        @WithDefault("1")
        int healthyThreshold();

        @WithDefault("1")
        int unhealthyThreshold();
    }


    interface Topics {

        /** Partitions of new topics (co-partitioned topics follow their partner). */
        @WithDefault("6")
        int partitions();

        @WithDefault("1")
        short replicationFactor();

        /** How long the event log keeps events. */
        @WithDefault("P30D")
        Duration eventRetention();

        /** How long a change stays before compaction may replace it. */
        @WithDefault("PT24H")
        Duration changeMinCompactionLag();
    }
}
