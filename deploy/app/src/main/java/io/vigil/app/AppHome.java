package io.vigil.app;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the application is laid out: the folder of {@code quarkus-run.jar}, unless {@code vigil.home} says otherwise. */
final class AppHome {

    private AppHome() {
    }

    static Path embeddedKafkaLib() {
        return embeddedKafkaLib(home());
    }

    /** The embedded broker's classpath folder in the application laid out at {@code home}. */
    static Path embeddedKafkaLib(Path home) {
        Path lib = home.resolve("embedded-kafka");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("the embedded Kafka broker is not installed at " + lib
                    + "; build vigil with ./mvnw package, or set KAFKA_BOOTSTRAP_SERVERS to use a Kafka cluster");
        }
        return lib;
    }

    /** The folder holding {@code quarkus-run.jar}. */
    static Path home() {
        String home = System.getProperty("vigil.home");
        if (home != null) {
            return Path.of(home);
        }
        String classPath = System.getProperty("java.class.path", "");
        Path first = Path.of(classPath.split(java.io.File.pathSeparator)[0]).toAbsolutePath();
        return first.getParent();
    }
}
