package io.warden.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code warden aws}: what is deployed in AWS accounts. */
@Command(
        name = "aws",
        mixinStandardHelpOptions = true,
        description = "Scans what is deployed in AWS accounts.",
        subcommands = {AwsScanCommand.class, AwsRematchCommand.class})
final class AwsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }
}
