package io.vigil.image;

import com.google.cloud.tools.jib.api.JibContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the vigil image as an OCI tarball; the {@code image} Maven profile runs it after the app
 * is packaged. Arguments: {@code --app DIR --jdk DIR --work DIR --name NAME --version V --output TAR}.
 * Exit status 0 on success, 2 on bad arguments, 1 when the build fails.
 */
public final class ImageMain {

    private ImageMain() {
    }

    public static void main(String... args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        for (String required : new String[] {"--app", "--jdk", "--work", "--name", "--version", "--output"}) {
            if (!options.containsKey(required)) {
                System.err.println("vigil-image: " + required + " is required");
                System.exit(2);
            }
        }
        Path app = Path.of(options.get("--app"));
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            System.err.println("vigil-image: no quarkus-run.jar in " + app + ": package deploy/app first (-am)");
            System.exit(2);
        }
        Path work = Path.of(options.get("--work"));
        Path output = Path.of(options.get("--output"));
        try {
            Path runtime = JavaRuntime.link(Path.of(options.get("--jdk")), work.resolve("java-runtime"));
            Map<String, Path> libraries = NativeLibraries.of(runtime);
            JibContainer image = new VigilImage(runtime, libraries, app, work)
                    .writeTarball(options.get("--name"), options.get("--version"), output);
            System.out.println("vigil-image: wrote " + image.getTargetImage() + " (" + image.getDigest() + ") to " + output
                    + ", " + Files.size(output) / (1024 * 1024) + " MiB; native libraries from the host: " + libraries.keySet());
        } catch (RuntimeException e) {
            System.err.println("vigil-image: " + e.getMessage());
            System.exit(1);
        }
    }
}
