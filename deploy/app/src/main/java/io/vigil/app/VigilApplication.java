package io.vigil.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import org.eclipse.microprofile.config.ConfigProvider;

/** The running {@code vigil serve}: says where it serves (https with a certificate), then waits for Ctrl-C or SIGTERM. */
public class VigilApplication implements QuarkusApplication {

    @Override
    public int run(String... args) {
        var config = ConfigProvider.getConfig();
        String host = config.getOptionalValue("quarkus.http.host", String.class).orElse("127.0.0.1");
        boolean https = config.getOptionalValue("quarkus.http.ssl.certificate.files", String.class).isPresent();
        int port = config.getValue(https ? "quarkus.http.ssl-port" : "quarkus.http.port", Integer.class);
        System.out.println("vigil serving " + config.getValue("vigil.roles", String.class)
                + " at " + (https ? "https" : "http") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port
                + "  (ready: /q/health/ready, metrics: /q/metrics, API: /q/openapi)");
        Quarkus.waitForExit();
        return 0;
    }
}
