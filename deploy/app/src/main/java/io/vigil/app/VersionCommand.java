package io.vigil.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

@Command(name = "version", description = "Prints vigil's version and the versions it is built on.")
final class VersionCommand implements Runnable {

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            System.out.println(line);
        }
    }

    static final class Provider implements IVersionProvider {

        @Override
        public String[] getVersion() {
            Properties build = new Properties();
            try (InputStream in = VersionCommand.class.getResourceAsStream("/vigil-version.properties")) {
                if (in != null) {
                    build.load(in);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read vigil-version.properties", e);
            }
            return new String[] {
                "vigil " + build.getProperty("vigil.version", "unknown"),
                "quarkus " + build.getProperty("quarkus.version", "unknown")
                        + ", kafka " + build.getProperty("kafka.version", "unknown")
                        + ", java " + System.getProperty("java.version")
            };
        }
    }
}
