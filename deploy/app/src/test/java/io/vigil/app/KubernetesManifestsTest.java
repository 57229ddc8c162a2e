package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.ingest.prober.TargetFeed;
import io.vigil.kafka.VigilAcls;
import io.vigil.schemas.Topic;
import io.vigil.schemas.TopicSettings;
import io.vigil.schemas.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * The manifests in {@code deploy/kubernetes} against the application they deploy: ports, probe
 * paths, environment variable names, roles, topic names and configs, the tokens file and the
 * image. Plain parsing, no cluster and no broker: a manifest that drifts from the code fails the
 * build.
 */
class KubernetesManifestsTest {

    private static final String READY = "/q/health/ready";
    private static final String LIVE = "/q/health/live";

    private final KubernetesManifests manifests = KubernetesManifests.load();
    private final Map<String, String> settings = AppSettings.environmentVariables();

    @Test
    void kustomizationListsEveryManifest() throws IOException {
        JsonNode kustomization = manifests.files().get("kustomization.yaml").get(0);
        List<String> resources = new ArrayList<>();
        kustomization.path("resources").forEach(r -> resources.add(r.asText()));

        Set<String> files = manifests.files().keySet().stream().filter(f -> !f.equals("kustomization.yaml")).collect(Collectors.toSet());
        assertThat(resources).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(files);
        try (Stream<Path> all = Files.list(KubernetesManifests.FOLDER)) {
            assertThat(all.map(p -> p.getFileName().toString())).as("only YAML manifests, so none escapes these checks")
                    .allMatch(name -> name.endsWith(".yaml"));
        }
    }

    @Test
    void everyRoleRunsInExactlyOneDeploymentAndTheAggregatorInTwoInstances() {
        Map<Role, JsonNode> byRole = new HashMap<>();
        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            String roles = container(deployment).get("VIGIL_ROLES");
            assertThat(roles).as(name(deployment) + " sets VIGIL_ROLES").isNotBlank();
            for (Role role : Role.parse(Arrays.asList(roles.split(",")))) {
                assertThat(byRole.put(role, deployment)).as(role + " in two Deployments").isNull();
            }
        }
        assertThat(byRole.keySet()).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(Role.class));
        assertThat(byRole.get(Role.AGGREGATOR).path("spec").path("replicas").asInt()).isEqualTo(2);
    }

    @Test
    void containersRunVigilServeFromTheImageOfThisVersion() {
        String image = "vigil:" + buildProperties().getProperty("vigil.version");
        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            for (JsonNode container : manifests.containers(deployment)) {
                assertThat(container.path("image").asText()).as(name(deployment)).isEqualTo(image);
                List<String> args = new ArrayList<>();
                container.path("args").forEach(a -> args.add(a.asText()));
                assertThat(args).as(name(deployment)).first().isEqualTo("serve");
                assertThatCode(() -> VigilMain.commandLine().parseArgs(args.toArray(String[]::new)))
                        .as(name(deployment) + " args").doesNotThrowAnyException();
            }
        }
    }

    @Test
    void everyEnvironmentVariableIsASettingOfTheApp() {
        for (JsonNode configMap : manifests.ofKind("ConfigMap")) {
            configMap.path("data").fieldNames().forEachRemaining(name ->
                    assertThat(readByVigil(name)).as("ConfigMap " + name(configMap) + " sets " + name + ", which vigil does not read")
                            .isTrue());
        }
        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            for (JsonNode container : manifests.containers(deployment)) {
                container.path("env").forEach(variable ->
                        assertThat(readByVigil(variable.path("name").asText()))
                                .as(name(deployment) + " sets " + variable.path("name").asText() + ", which vigil does not read").isTrue());
            }
        }
    }

    @Test
    void vigilReachesKafkaOnlyOverTlsAsItsScramUserWithVigilsAclsAndNothingMore() {
        JsonNode kafka = kafka();
        assertThat(kafka.path("spec").path("kafka").path("authorization").path("type").asText()).as("ACLs enforced").isEqualTo("simple");
        assertThat(kafka.path("spec").path("entityOperator").has("userOperator")).as("the User Operator makes the KafkaUser's Secret").isTrue();
        for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
            assertThat(listener.path("tls").asBoolean()).as("listener " + listener.path("name").asText() + " has TLS").isTrue();
            assertThat(listener.path("authentication").path("type").asText()).as("listener " + listener.path("name").asText() + " authenticates")
                    .isNotBlank();
        }
        JsonNode listener = bootstrapListener(kafka);
        assertThat(listener.path("authentication").path("type").asText()).isEqualTo("scram-sha-512");

        List<JsonNode> users = manifests.ofKind("KafkaUser");
        assertThat(users).hasSize(1);
        JsonNode user = users.get(0);
        assertThat(user.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo(name(kafka));
        assertThat(user.path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
        assertThat(user.path("spec").path("authorization").path("type").asText()).isEqualTo("simple");
        String principal = "User:" + name(user);
        assertThat(strimziAcls(user, principal)).as("KafkaUser " + name(user) + " ACLs")
                .containsExactlyInAnyOrderElementsOf(VigilAcls.bindings(principal));

        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            Map<String, String> env = container(deployment);
            assertThat(env).as(name(deployment)).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                    .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512").containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
            JsonNode jaas = variable(deployment, "KAFKA_SASL_JAAS_CONFIG").path("valueFrom").path("secretKeyRef");
            assertThat(jaas.path("name").asText() + "/" + jaas.path("key").asText()).as(name(deployment) + " takes its JAAS config from the user's Secret")
                    .isEqualTo(name(user) + "/sasl.jaas.config");
            Path truststore = Path.of(env.get("KAFKA_SSL_TRUSTSTORE_LOCATION"));
            JsonNode secret = volume(deployment, mountAt(deployment, truststore.getParent().toString()).path("name").asText()).path("secret");
            assertThat(secret.path("secretName").asText()).as(name(deployment) + " trusts the cluster CA").isEqualTo(name(kafka) + "-cluster-ca-cert");
            assertThat(secret.path("items").toString()).as(name(deployment) + " mounts the CA certificate as " + truststore.getFileName())
                    .contains("\"key\":\"ca.crt\"", "\"path\":\"" + truststore.getFileName() + "\"");
        }
    }

    @Test
    void vigilsAclsCoverEveryTopicAndTheProbersGroup() {
        assertThat(Topics.names()).allMatch(topic -> topic.startsWith(VigilAcls.TOPIC_PREFIX));
        assertThat(TargetFeed.GROUP).startsWith(VigilAcls.GROUP_PREFIX);
    }

    @Test
    void containerPortProbesAndServicesUseTheHttpPortTheAppListensOn() {
        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            JsonNode container = manifests.containers(deployment).get(0);
            int port = Integer.parseInt(container(deployment).getOrDefault("VIGIL_PORT", settings.get("VIGIL_PORT")));
            JsonNode http = namedPort(container, "http");
            assertThat(http.path("containerPort").asInt()).as(name(deployment) + " container port").isEqualTo(port);
            assertThat(container(deployment).get("QUARKUS_HTTP_HOST")).as(name(deployment) + ": probes need the pod's address, not loopback")
                    .isEqualTo("0.0.0.0");
            assertProbe(deployment, container, "readinessProbe", READY);
            assertProbe(deployment, container, "livenessProbe", LIVE);
        }
        for (JsonNode service : manifests.ofKind("Service")) {
            JsonNode deployment = manifests.ofKind("Deployment").stream()
                    .filter(d -> KubernetesManifests.selects(service.path("spec").path("selector"), d.path("spec").path("template").path("metadata").path("labels")))
                    .findFirst().orElseThrow(() -> new AssertionError("Service " + name(service) + " selects no Deployment's pods"));
            for (JsonNode port : service.path("spec").path("ports")) {
                assertThat(targetsHttp(port.path("targetPort"), manifests.containers(deployment).get(0)))
                        .as("Service " + name(service) + " targets the http port").isTrue();
            }
        }
    }

    @Test
    void probePathsAreWhereTheAppServesItsHealth() {
        Properties app = AppSettings.applicationProperties();
        for (String moves : List.of("quarkus.http.root-path", "quarkus.http.non-application-root-path", "quarkus.smallrye-health.root-path",
                "quarkus.smallrye-health.readiness-path", "quarkus.smallrye-health.liveness-path")) {
            assertThat(app).as("application.properties moves the health endpoints (" + moves + "): update the probes")
                    .doesNotContainKey(moves);
        }
        assertThat(KafkaReadinessCheck.class).hasAnnotation(org.eclipse.microprofile.health.Readiness.class);
    }

    @Test
    void kafkaTopicsAreTheTopicsOfTheAppWithItsSettings() {
        Map<String, String> config = sharedConfig();
        TopicSettings expected = new TopicSettings(
                Integer.parseInt(setting(config, "VIGIL_TOPICS_PARTITIONS")),
                Short.parseShort(setting(config, "VIGIL_TOPICS_REPLICATION_FACTOR")),
                Duration.parse(setting(config, "VIGIL_TOPICS_EVENT_RETENTION")),
                Duration.parse(setting(config, "VIGIL_TOPICS_CHANGE_MIN_COMPACTION_LAG")));
        String cluster = kafka().path("metadata").path("name").asText();

        Map<String, JsonNode> topics = new TreeMap<>();
        for (JsonNode topic : manifests.ofKind("KafkaTopic")) {
            String name = topic.path("spec").path("topicName").asText(name(topic));
            assertThat(topics.put(name, topic)).as("two KafkaTopics for " + name).isNull();
            assertThat(topic.path("metadata").path("labels").path("strimzi.io/cluster").asText()).as(name).isEqualTo(cluster);
        }
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(Topics.names());
        for (Topic<?> topic : Topics.ALL) {
            String name = topic.name();
            JsonNode spec = topics.get(name).path("spec");
            assertThat(spec.path("partitions").asInt()).as(name + " partitions").isEqualTo(expected.partitions());
            assertThat(spec.path("replicas").asInt()).as(name + " replicas").isEqualTo(expected.replicationFactor());
            Map<String, String> configs = new TreeMap<>();
            spec.path("config").properties().forEach(e -> configs.put(e.getKey(), e.getValue().asText()));
            assertThat(configs).as(name + " config").isEqualTo(new TreeMap<>(expected.configs(topic)));
            topic.coPartitionedWith().ifPresent(partner -> assertThat(spec.path("partitions").asInt())
                    .as(name + " is co-partitioned with " + partner)
                    .isEqualTo(topics.get(partner.name()).path("spec").path("partitions").asInt()));
        }
    }

    @Test
    void theAppConnectsToTheStrimziClusterWhichKeepsWritesThroughTheLossOfANode() {
        JsonNode kafka = kafka();
        assertThat(kafka.path("metadata").path("annotations").path("strimzi.io/kraft").asText()).isEqualTo("enabled");
        assertThat(kafka.path("metadata").path("annotations").path("strimzi.io/node-pools").asText()).isEqualTo("enabled");
        List<JsonNode> pools = manifests.ofKind("KafkaNodePool");
        assertThat(pools).isNotEmpty().allSatisfy(pool -> assertThat(pool.path("metadata").path("labels").path("strimzi.io/cluster").asText())
                .isEqualTo(name(kafka)));
        int brokers = pools.stream().filter(p -> p.path("spec").path("roles").toString().contains("broker"))
                .mapToInt(p -> p.path("spec").path("replicas").asInt()).sum();
        assertThat(brokers).isEqualTo(3);
        int minInSync = kafka.path("spec").path("kafka").path("config").path("min.insync.replicas").asInt();
        assertThat(minInSync).isEqualTo(2);
        assertThat(Integer.parseInt(setting(sharedConfig(), "VIGIL_TOPICS_REPLICATION_FACTOR")))
                .as("replicas of vigil's topics: more than min.insync.replicas, at most the brokers").isGreaterThan(minInSync).isLessThanOrEqualTo(brokers);

        assertThat(bootstrapListener(kafka).path("type").asText()).as("the listener vigil connects to is in-cluster").isEqualTo("internal");
    }

    @Test
    void ingestReadsItsTokensFromTheMountedSecret() {
        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            Map<String, String> env = container(deployment);
            if (!Role.parse(Arrays.asList(env.get("VIGIL_ROLES").split(","))).contains(Role.INGEST)) {
                continue;
            }
            // Without a tokens file every ingest pod would make its own admin token in its emptyDir.
            String tokensFile = env.get("VIGIL_TOKENS_FILE");
            assertThat(tokensFile).as(name(deployment) + " sets VIGIL_TOKENS_FILE").isNotBlank();
            Path file = Path.of(tokensFile);
            JsonNode mount = mountAt(deployment, file.getParent().toString());
            JsonNode volume = volume(deployment, mount.path("name").asText());
            String secretName = volume.path("secret").path("secretName").asText();
            JsonNode secret = manifests.named("Secret", secretName)
                    .orElseThrow(() -> new AssertionError(name(deployment) + " mounts Secret " + secretName + ", which no manifest defines"));
            assertThat(secret.path("stringData").has(file.getFileName().toString()) || secret.path("data").has(file.getFileName().toString()))
                    .as("Secret " + secretName + " has the key " + file.getFileName()).isTrue();
        }
    }

    @Test
    void podsRunAsNonRootOnAReadOnlyRootWithTheirDataDirOnAnEmptyDir() {
        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(name(deployment)).isTrue();
            assertThat(pod.path("securityContext").path("runAsUser").asInt()).as(name(deployment) + " runs as a user, not root").isPositive();
            JsonNode container = manifests.containers(deployment).get(0);
            assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).as(name(deployment)).isTrue();
            assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).as(name(deployment)).isFalse();
            for (String writable : List.of(container(deployment).getOrDefault("VIGIL_DATA_DIR", settings.get("VIGIL_DATA_DIR")), "/tmp")) {
                JsonNode mount = mountAt(deployment, writable);
                assertThat(volume(deployment, mount.path("name").asText()).has("emptyDir")).as(name(deployment) + " " + writable).isTrue();
            }
            assertThat(container.path("resources").path("requests").path("cpu").asText()).as(name(deployment)).isNotBlank();
            assertThat(container.path("resources").path("requests").path("memory").asText()).as(name(deployment)).isNotBlank();
            assertThat(container.path("resources").path("limits").path("memory").asText()).as(name(deployment)).isNotBlank();
        }
    }

    @Test
    void everyDeploymentHasOneDisruptionBudget() {
        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            JsonNode labels = deployment.path("spec").path("template").path("metadata").path("labels");
            assertThat(manifests.ofKind("PodDisruptionBudget"))
                    .filteredOn(pdb -> KubernetesManifests.selects(pdb.path("spec").path("selector"), labels))
                    .as(name(deployment)).hasSize(1);
        }
    }

    @Test
    void thePodWatcherMayGetListAndWatchPods() {
        JsonNode watcher = manifests.ofKind("Deployment").stream()
                .filter(d -> container(d).get("VIGIL_ROLES").contains(Role.K8S_WATCHER.cliName())).findFirst().orElseThrow();
        String account = watcher.path("spec").path("template").path("spec").path("serviceAccountName").asText();
        assertThat(manifests.named("ServiceAccount", account)).as("ServiceAccount " + account).isPresent();

        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode binding : Stream.concat(manifests.ofKind("ClusterRoleBinding").stream(), manifests.ofKind("RoleBinding").stream()).toList()) {
            boolean bindsAccount = false;
            for (JsonNode subject : binding.path("subjects")) {
                bindsAccount |= "ServiceAccount".equals(subject.path("kind").asText()) && account.equals(subject.path("name").asText());
            }
            if (bindsAccount) {
                JsonNode roleRef = binding.path("roleRef");
                manifests.named(roleRef.path("kind").asText(), roleRef.path("name").asText()).ifPresent(role -> role.path("rules").forEach(rules::add));
            }
        }
        assertThat(rules).as("rules bound to " + account).anySatisfy(rule -> {
            assertThat(rule.path("resources").toString()).contains("\"pods\"");
            assertThat(rule.path("verbs").toString()).contains("\"get\"", "\"list\"", "\"watch\"");
        });
    }

    /** The listener whose bootstrap Service the ConfigMap's KAFKA_BOOTSTRAP_SERVERS names. */
    private JsonNode bootstrapListener(JsonNode kafka) {
        String bootstrap = sharedConfig().get("KAFKA_BOOTSTRAP_SERVERS");
        for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
            if ((name(kafka) + "-kafka-bootstrap:" + listener.path("port").asInt()).equals(bootstrap)) {
                return listener;
            }
        }
        throw new AssertionError("KAFKA_BOOTSTRAP_SERVERS " + bootstrap + " is no listener's bootstrap Service of Kafka " + name(kafka));
    }

    /**
     * Whether vigil reads the variable: a setting of the app, or a Kafka client property as
     * {@code KAFKA_*} (every client gets those, see KafkaClientConfig).
     */
    private boolean readByVigil(String variable) {
        return readByVigil(variable, settings);
    }

    /** {@link #readByVigil(String)} against the app's settings as environment variables. */
    static boolean readByVigil(String variable, Map<String, String> settings) {
        if (settings.containsKey(variable)) {
            return true;
        }
        Set<String> clientProperties = new HashSet<>(ProducerConfig.configNames());
        clientProperties.addAll(ConsumerConfig.configNames());
        clientProperties.addAll(AdminClientConfig.configNames());
        return variable.startsWith("KAFKA_")
                && clientProperties.contains(variable.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'));
    }

    /** A Strimzi KafkaUser's ACLs as Kafka's bindings. */
    private static List<AclBinding> strimziAcls(JsonNode user, String principal) {
        List<AclBinding> acls = new ArrayList<>();
        for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
            JsonNode resource = acl.path("resource");
            ResourceType type = ResourceType.fromString(resource.path("type").asText().replaceAll("([a-z])([A-Z])", "$1_$2"));
            PatternType pattern = "prefix".equals(resource.path("patternType").asText()) ? PatternType.PREFIXED : PatternType.LITERAL;
            AclPermissionType permission = AclPermissionType.fromString(acl.path("type").asText("allow"));
            for (JsonNode operation : acl.path("operations")) {
                acls.add(new AclBinding(new ResourcePattern(type, resource.path("name").asText(), pattern),
                        new AccessControlEntry(principal, acl.path("host").asText("*"),
                                AclOperation.fromString(operation.asText().replaceAll("([a-z])([A-Z])", "$1_$2")), permission)));
            }
        }
        return acls;
    }

    /** A Deployment's first container's variable of that name, as written. */
    private JsonNode variable(JsonNode deployment, String name) {
        for (JsonNode variable : manifests.containers(deployment).get(0).path("env")) {
            if (name.equals(variable.path("name").asText())) {
                return variable;
            }
        }
        throw new AssertionError(name(deployment) + " sets no " + name);
    }

    /** The first container's environment of a Deployment. */
    private Map<String, String> container(JsonNode deployment) {
        return manifests.environment(manifests.containers(deployment).get(0));
    }

    private Map<String, String> sharedConfig() {
        Map<String, String> config = new HashMap<>();
        manifests.named("ConfigMap", "vigil-config").orElseThrow().path("data").properties()
                .forEach(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
    }

    /** The ConfigMap's value of a setting, else the app's default. */
    private String setting(Map<String, String> config, String name) {
        return config.getOrDefault(name, settings.get(name));
    }

    private JsonNode kafka() {
        List<JsonNode> clusters = manifests.ofKind("Kafka");
        assertThat(clusters).hasSize(1);
        return clusters.get(0);
    }

    private static void assertProbe(JsonNode deployment, JsonNode container, String probe, String path) {
        JsonNode get = container.path(probe).path("httpGet");
        assertThat(get.path("path").asText()).as(name(deployment) + " " + probe + " path").isEqualTo(path);
        assertThat(targetsHttp(get.path("port"), container)).as(name(deployment) + " " + probe + " port").isTrue();
    }

    /** The container's port of that name. */
    private static JsonNode namedPort(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (name.equals(port.path("name").asText())) {
                return port;
            }
        }
        throw new AssertionError("no container port named " + name);
    }

    /** Whether a port reference (number or name) is the container's http port. */
    private static boolean targetsHttp(JsonNode targetPort, JsonNode container) {
        int http = namedPort(container, "http").path("containerPort").asInt();
        return targetPort.isInt() ? targetPort.asInt() == http : namedPort(container, targetPort.asText()).path("containerPort").asInt() == http;
    }

    private JsonNode mountAt(JsonNode deployment, String path) {
        for (JsonNode mount : manifests.containers(deployment).get(0).path("volumeMounts")) {
            if (path.equals(mount.path("mountPath").asText())) {
                return mount;
            }
        }
        throw new AssertionError(name(deployment) + " mounts nothing at " + path);
    }

    private static JsonNode volume(JsonNode deployment, String name) {
        for (JsonNode volume : deployment.path("spec").path("template").path("spec").path("volumes")) {
            if (name.equals(volume.path("name").asText())) {
                return volume;
            }
        }
        throw new AssertionError(name(deployment) + " has no volume " + name);
    }

    private static String name(JsonNode document) {
        return document.path("metadata").path("name").asText();
    }

    static Properties buildProperties() {
        Properties build = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("/vigil-version.properties")) {
            build.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return build;
    }
}
