package io.vigil.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * What makes an embedded broker secure: a CA of its own and the broker's certificate
 * ({@link BrokerCertificates}), SCRAM-SHA-512 passwords for the broker's own user ({@value #BROKER_USER},
 * a super user) and for vigil's ({@value #VIGIL_USER}), and the broker and client properties that
 * use them. It all lives in one owner-only directory ({@code rwx------}): {@value #CREDENTIALS}
 * (the passwords, random per directory) and the key stores. The directory is made once, whole
 * (in a temporary sibling, then renamed), and read again on every later start, so a restarted
 * broker keeps its certificates and its users their passwords.
 *
 * <p>Immutable once made or loaded; thread-safe. Its {@link #toString()} shows no secret.
 */
final class BrokerSecurity {

    static final String MECHANISM = "SCRAM-SHA-512";
    static final String BROKER_USER = "broker";
    static final String VIGIL_USER = "vigil";
    /** The principal vigil's clients authenticate as, which the ACLs name. */
    static final String VIGIL_PRINCIPAL = "User:" + VIGIL_USER;

    private static final String CREDENTIALS = "credentials.properties";
    private static final String BROKER_PASSWORD = "broker.password";
    private static final String VIGIL_PASSWORD = "vigil.password";
    private static final String STORE_PASSWORD = "keystore.password";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final String brokerPassword;
    private final String vigilPassword;
    private final String storePassword;

    private BrokerSecurity(Path dir, String brokerPassword, String vigilPassword, String storePassword) {
        this.dir = dir;
        this.brokerPassword = brokerPassword;
        this.vigilPassword = vigilPassword;
        this.storePassword = storePassword;
    }

    /** Whether {@code dir} holds a broker's security (made by {@link #createOrLoad}). */
    static boolean existsIn(Path dir) {
        return Files.exists(dir);
    }

    /**
     * Reads the security in {@code dir}, making it first if there is none. The caller holds the
     * data dir's lock, so no other broker makes it meanwhile.
     *
     * @throws IllegalStateException if {@code dir} exists but its credentials are missing or damaged
     */
    static BrokerSecurity createOrLoad(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            create(dir);
        }
        return load(dir);
    }

    /** The format-time SCRAM credentials of both users (KIP-900: {@code kafka-storage format --add-scram}). */
    List<String> scramArguments() {
        return List.of(scram(BROKER_USER, brokerPassword), scram(VIGIL_USER, vigilPassword));
    }

    /**
     * The broker's security properties: SCRAM-SHA-512 on the SASL_SSL {@code listener} (also
     * between brokers, as {@value #BROKER_USER}), TLS with client certificates on the
     * {@code controllerListener}, and ACLs enforced by KRaft's {@code StandardAuthorizer} with the
     * broker's own principals as its only super users.
     */
    Map<String, String> brokerProperties(String listener, String controllerListener) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("sasl.enabled.mechanisms", MECHANISM);
        config.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        config.put("listener.name." + lower(listener) + "." + lower(MECHANISM) + ".sasl.jaas.config", jaas(BROKER_USER, brokerPassword));
        // The controller listener has no SASL (KRaft keeps SCRAM users in the metadata it serves):
        // a node proves itself there with its certificate.
        config.put("listener.name." + lower(controllerListener) + ".ssl.client.auth", "required");
        config.put("ssl.keystore.type", "PKCS12");
        config.put("ssl.keystore.location", dir.resolve(BrokerCertificates.BROKER_KEYSTORE).toString());
        config.put("ssl.keystore.password", storePassword);
        config.put("ssl.key.password", storePassword);
        config.putAll(trust());
        config.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        config.put("super.users", "User:" + BROKER_USER + ";User:" + BrokerCertificates.BROKER_SUBJECT);
        config.put("allow.everyone.if.no.acl.found", "false");
        return config;
    }

    /** A ready-to-use client.properties for vigil's principal. */
    Map<String, String> clientProperties(String bootstrapServers) {
        return client(bootstrapServers, VIGIL_USER, vigilPassword);
    }

    /** Client properties for the broker's own user (a super user): its readiness probe and the ACLs it sets. */
    Map<String, String> brokerClientProperties(String bootstrapServers) {
        return client(bootstrapServers, BROKER_USER, brokerPassword);
    }

    @Override
    public String toString() {
        return "BrokerSecurity{" + dir + "}";
    }

    private Map<String, String> client(String bootstrapServers, String user, String password) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("security.protocol", "SASL_SSL");
        config.put("sasl.mechanism", MECHANISM);
        config.put("sasl.jaas.config", jaas(user, password));
        config.putAll(trust());
        return config;
    }

    private Map<String, String> trust() {
        return Map.of("ssl.truststore.type", "PEM",
                "ssl.truststore.location", dir.resolve(BrokerCertificates.CA_CERTIFICATE).toString());
    }

    private static void create(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path draft = Files.createTempDirectory(parent, dir.getFileName() + ".new-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            String storePassword = password();
            BrokerCertificates.create(draft, storePassword);
            Map<String, String> credentials = new LinkedHashMap<>();
            credentials.put(BROKER_PASSWORD, password());
            credentials.put(VIGIL_PASSWORD, password());
            credentials.put(STORE_PASSWORD, storePassword);
            OwnerOnlyFiles.write(draft.resolve(CREDENTIALS),
                    OwnerOnlyFiles.properties("The embedded broker's SCRAM and key store passwords. Secret.", credentials));
            // All or nothing: a start that fails midway leaves no half-made security behind.
            Files.move(draft, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteRecursively(draft);
        }
    }

    private static BrokerSecurity load(Path dir) throws IOException {
        Properties credentials = new Properties();
        Path file = dir.resolve(CREDENTIALS);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("broker security " + dir + " has no " + CREDENTIALS
                    + ": the broker's users cannot be authenticated; restore it, or start on a new data dir");
        }
        try (InputStream in = Files.newInputStream(file)) {
            credentials.load(in);
        }
        for (String name : List.of(BROKER_PASSWORD, VIGIL_PASSWORD, STORE_PASSWORD)) {
            if (credentials.getProperty(name, "").isBlank()) {
                throw new IllegalStateException(file + " lacks " + name + "; restore it, or start on a new data dir");
            }
        }
        return new BrokerSecurity(dir.toAbsolutePath(), credentials.getProperty(BROKER_PASSWORD),
                credentials.getProperty(VIGIL_PASSWORD), credentials.getProperty(STORE_PASSWORD));
    }

    /** 192 random bits in base64url: no character that SCRAM's format-time syntax or a JAAS string would need to escape. */
    private static String password() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String scram(String user, String password) {
        return MECHANISM + "=[name=" + user + ",password=" + password + "]";
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
