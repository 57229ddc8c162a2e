package io.vigil.app;

import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

/**
 * The {@code vigil} command line. Only {@code serve} boots Quarkus; the other commands are plain
 * Java, so {@code vigil replay} starts in a fraction of a second and needs no broker.
 * Exit status (SPEC section 7): 0 success, 2 bad usage or bad input, 1 any other failure.
 */
@QuarkusMain
public final class VigilMain {

    private VigilMain() {
    }

    public static void main(String... args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new VigilCommand());
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("vigil: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return e instanceof BadInputException ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
        });
        return cli;
    }
}
