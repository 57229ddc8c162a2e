package io.vigil.app;

import picocli.CommandLine.Command;

@Command(name = "vigil",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Health of a service mesh, as an event-sourced pipeline on Kafka.",
        subcommands = {ServeCommand.class, KafkaCommand.class, DevClusterCommand.class, ReplayCommand.class, InspectCommand.class, SimulateCommand.class, VersionCommand.class},
        usageHelpAutoWidth = true)
final class VigilCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
