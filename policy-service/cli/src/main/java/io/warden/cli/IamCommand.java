package io.warden.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code warden iam}: the functions' IAM permissions. */
@Command(
        name = "iam",
        mixinStandardHelpOptions = true,
        description = "Works with the functions' IAM permissions.",
        subcommands = {IamSuggestCommand.class})
final class IamCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }
}
