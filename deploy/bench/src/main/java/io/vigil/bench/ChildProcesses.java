package io.vigil.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The benchmarks' child processes: JVMs on this JVM's class path, and how they are stopped. */
final class ChildProcesses {

    private ChildProcesses() {
    }

    /** {@code java -Xmx<heap> -cp <this class path> <mainClass> <args>} as a command line. */
    static List<String> javaCommand(String heap, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** SIGTERM, then SIGKILL if it has not stopped within a minute. */
    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
