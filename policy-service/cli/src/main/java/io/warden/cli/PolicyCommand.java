package io.warden.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code warden policy}: the functions' Warden policies. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Works with the functions' Warden policies.",
        subcommands = {PolicySuggestCommand.class, PolicyApplyCommand.class})
final class PolicyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }
}
