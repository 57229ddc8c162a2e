package io.vigil.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What vigil's principal may do on a Kafka cluster with an authorizer, and nothing more: on topics
 * named {@value #TOPIC_PREFIX}* create (vigil provisions its topics), describe, read and write; on
 * consumer groups {@value #GROUP_PREFIX}* read (the prober's and the aggregator stages' groups); on
 * transactional ids {@value #TRANSACTIONAL_ID_PREFIX}* describe and write (the stages' exactly-once
 * producers). Idempotent producers need no cluster permission: Kafka lets a principal that may
 * write a topic initialise one. All ACLs are prefixed and allow from any host.
 *
 * <p>The secure embedded broker sets exactly these; README.md ("Production Kafka") lists them for
 * other clusters and the Strimzi {@code KafkaUser} in deploy/kubernetes is checked against them.
 * Stateless; thread-safe.
 */
public final class VigilAcls {

    public static final String TOPIC_PREFIX = "vigil.";
    public static final String GROUP_PREFIX = "vigil-";
    public static final String TRANSACTIONAL_ID_PREFIX = "vigil-aggregator-";

    private VigilAcls() {
    }

    /** Every ACL of {@code principal} (such as {@code User:vigil}). */
    public static List<AclBinding> bindings(String principal) {
        List<AclBinding> acls = new ArrayList<>();
        allow(acls, principal, ResourceType.TOPIC, TOPIC_PREFIX, AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.READ, AclOperation.WRITE);
        allow(acls, principal, ResourceType.GROUP, GROUP_PREFIX, AclOperation.READ);
        allow(acls, principal, ResourceType.TRANSACTIONAL_ID, TRANSACTIONAL_ID_PREFIX, AclOperation.DESCRIBE, AclOperation.WRITE);
        return List.copyOf(acls);
    }

    /**
     * Makes {@code principal}'s ACLs on the cluster exactly {@link #bindings}: creates the missing
     * ones and deletes any other (an ACL a former version granted), then waits until the broker
     * answers with exactly those (the controller commits an ACL before the broker applies it), so a
     * client that connects next is not refused. Blocks up to {@code timeout}.
     */
    static void apply(Admin admin, String principal, Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<AclBinding> wanted = new HashSet<>(bindings(principal));
        admin.createAcls(wanted).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<AclBindingFilter> others = describe(admin, principal, timeout).stream()
                .filter(acl -> !wanted.contains(acl)).map(AclBinding::toFilter).toList();
        if (!others.isEmpty()) {
            admin.deleteAcls(others).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        while (!new HashSet<>(describe(admin, principal, timeout)).equals(wanted)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the broker did not apply " + principal + "'s ACLs within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }

    private static Collection<AclBinding> describe(Admin admin, String principal, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        AclBindingFilter ofPrincipal = new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
        return admin.describeAcls(ofPrincipal).values().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void allow(List<AclBinding> into, String principal, ResourceType type, String prefix, AclOperation... operations) {
        for (AclOperation operation : operations) {
            into.add(new AclBinding(new ResourcePattern(type, prefix, PatternType.PREFIXED),
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
    }
}
