package io.vigil.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secure embedded broker: vigil's principal reaches its own topics, groups and transactional
 * ids over SASL_SSL and nothing else; clients without its credentials, or without trust in the
 * broker's CA, are refused. One broker for the class: a secure first start makes a CA.
 */
class SecureEmbeddedKafkaBrokerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startSecureBroker() {
        broker = EmbeddedKafkaBroker.builder(dataDir).secure().build().start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void vigilsPrincipalProvisionsWritesTransactsAndReadsAsAGroupOverSaslSsl() throws Exception {
        Map<String, Object> vigil = new HashMap<>(broker.clientProperties());
        assertThat(vigil).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("bootstrap.servers", broker.bootstrapServers());
        String topic = "vigil.secure-test";
        try (Admin admin = Admin.create(vigil)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            // Created once the controller has it; listed once the broker has applied that metadata.
            await().atMost(TIMEOUT).untilAsserted(() ->
                    assertThat(admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).contains(topic));
        }

        Map<String, Object> producer = new HashMap<>(vigil);
        producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "vigil-aggregator-test");
        try (KafkaProducer<String, String> transactional = new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
            transactional.initTransactions();
            transactional.beginTransaction();
            transactional.send(new ProducerRecord<>(topic, "k", "committed"));
            transactional.commitTransaction();
        }

        Map<String, Object> consumer = new HashMap<>(vigil);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "vigil-test");
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        assertThat(readAsGroup(consumer, topic)).extracting(ConsumerRecord::value).containsExactly("committed");
    }

    @Test
    void vigilsPrincipalMayTouchNothingElse() throws Exception {
        Map<String, Object> vigil = new HashMap<>(broker.clientProperties());
        try (Admin admin = Admin.create(vigil)) {
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("other", 1, (short) 1))).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
            admin.createTopics(List.of(new NewTopic("vigil.group-test", 1, (short) 1))).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        Map<String, Object> otherGroup = new HashMap<>(vigil);
        otherGroup.put(ConsumerConfig.GROUP_ID_CONFIG, "not-vigils");
        assertThatThrownBy(() -> readAsGroup(otherGroup, "vigil.group-test")).isInstanceOf(GroupAuthorizationException.class);

        Map<String, Object> otherTransactions = new HashMap<>(vigil);
        otherTransactions.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "not-vigils");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(otherTransactions, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(producer::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        }
    }

    @Test
    void theBrokerGrantsVigilsPrincipalExactlyVigilsAcls() throws Exception {
        BrokerSecurity security = BrokerSecurity.createOrLoad(dataDir.resolve("security"));
        Map<String, Object> superUser = new HashMap<>(security.brokerClientProperties(broker.bootstrapServers()));
        try (Admin admin = Admin.create(superUser)) {
            List<AclBinding> all = new ArrayList<>(admin.describeAcls(AclBindingFilter.ANY).values().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            assertThat(all).containsExactlyInAnyOrderElementsOf(VigilAcls.bindings("User:vigil"));
        }
    }

    @Test
    void aClientWithoutCredentialsIsRefused() {
        Map<String, Object> plaintext = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        assertThatThrownBy(() -> listTopics(plaintext)).hasCauseInstanceOf(TimeoutException.class);

        Map<String, Object> wrongPassword = new HashMap<>(broker.clientProperties());
        wrongPassword.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"vigil\" password=\"guess\";");
        assertThatThrownBy(() -> listTopics(wrongPassword)).hasCauseInstanceOf(SaslAuthenticationException.class);

        Map<String, Object> untrusting = new HashMap<>(broker.clientProperties());
        untrusting.remove("ssl.truststore.type");
        untrusting.remove("ssl.truststore.location");
        assertThatThrownBy(() -> listTopics(untrusting)).hasCauseInstanceOf(SslAuthenticationException.class);
    }

    @Test
    void theClientPropertiesFileIsOwnerOnlyAndHoldsVigilsSettings() throws IOException {
        Path file = dataDir.resolve("written").resolve("client.properties");

        broker.writeClientProperties(file);

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(load(file)).isEqualTo(new TreeMap<>(broker.clientProperties()));
        assertThat(Files.getPosixFilePermissions(dataDir.resolve("security"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void aDirectoryStaysWhatItWasFirstStartedAs(@TempDir Path secureDir, @TempDir Path plainDir) throws Exception {
        Map<String, String> first;
        int port;
        try (EmbeddedKafkaBroker secure = EmbeddedKafkaBroker.builder(secureDir).secure().build().start()) {
            first = secure.clientProperties();
            port = secure.port();
        }
        try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.builder(secureDir).port(port).secure().build().start()) {
            assertThat(again.clientProperties()).as("the same CA and password after a restart").isEqualTo(first);
            assertThat(listTopics(new HashMap<>(again.clientProperties()))).isEmpty();
        }
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder(secureDir).build().start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("holds a secure broker");

        EmbeddedKafkaBroker.builder(plainDir).build().start().close();
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder(plainDir).secure().build().start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("first started without security");
        assertThat(plainDir.resolve("security")).doesNotExist();
    }

    private static Set<String> listTopics(Map<String, Object> config) throws Exception {
        Map<String, Object> quick = new HashMap<>(config);
        quick.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        quick.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        try (Admin admin = Admin.create(quick)) {
            return admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static List<ConsumerRecord<String, String>> readAsGroup(Map<String, Object> config, String topic) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static Map<String, String> load(Path file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        Map<String, String> result = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> result.put(name, properties.getProperty(name)));
        return result;
    }
}
