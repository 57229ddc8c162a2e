package io.vigil.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestKafkaChoiceTest {

    @Test
    void theEmbeddedBrokerUnlessTestcontainersIsAskedFor() {
        TestKafkaChoice choice = TestKafkaChoice.choose(null, () -> fail("classpath"), () -> fail("Docker"));

        assertThat(choice.testcontainers()).isFalse();
        assertThat(choice.reason()).isEqualTo("Kafka for tests: the embedded broker");
        assertThat(TestKafkaChoice.choose("embedded", () -> true, () -> true).testcontainers()).isFalse();
    }

    @Test
    void testcontainersWhereDockerAnswers() {
        TestKafkaChoice choice = TestKafkaChoice.choose("testcontainers", () -> true, () -> true);

        assertThat(choice.testcontainers()).isTrue();
        assertThat(choice.reason()).isEqualTo("Kafka for tests: apache/kafka:4.1.2 through Testcontainers");
    }

    @Test
    void withoutDockerTheEmbeddedBrokerSayingSo() {
        TestKafkaChoice choice = TestKafkaChoice.choose("testcontainers", () -> true, () -> false);

        assertThat(choice.testcontainers()).isFalse();
        assertThat(choice.reason()).isEqualTo("no Docker engine: using the embedded broker");
    }

    @Test
    void withoutTestcontainersOnTheClasspathTheEmbeddedBrokerSayingSo() {
        TestKafkaChoice choice = TestKafkaChoice.choose("testcontainers", () -> false, () -> fail("Docker"));

        assertThat(choice.testcontainers()).isFalse();
        assertThat(choice.reason()).contains("testcontainers-kafka is not on this module's test classpath: using the embedded broker");
    }

    @Test
    void anUnknownChoiceIsRefused() {
        assertThatThrownBy(() -> TestKafkaChoice.choose("docker", () -> true, () -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vigil.kafka must be 'embedded' or 'testcontainers', not 'docker'");
    }

    /** This machine as it is: Testcontainers on the classpath, its real Docker probe asked. */
    @Test
    void thisJvmAskedForTestcontainersFollowsTheRealDockerProbe() {
        String before = System.getProperty(TestKafkaChoice.PROPERTY);
        System.setProperty(TestKafkaChoice.PROPERTY, "testcontainers");
        try {
            TestKafkaChoice choice = TestKafkaChoice.forThisJvm();
            boolean docker = TestcontainersKafka.dockerAvailable();

            assertThat(choice.testcontainers()).isEqualTo(docker);
            if (!docker) {
                assertThat(choice.reason()).isEqualTo(TestKafkaChoice.NO_DOCKER);
            }
        } finally {
            if (before == null) {
                System.clearProperty(TestKafkaChoice.PROPERTY);
            } else {
                System.setProperty(TestKafkaChoice.PROPERTY, before);
            }
        }
    }

    private static boolean fail(String what) {
        throw new AssertionError(what + " must not be asked when it cannot change the choice");
    }
}
