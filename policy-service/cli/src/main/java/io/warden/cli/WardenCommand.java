package io.warden.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code warden} command line. Every subcommand is registered here, in one place.
 * Exit codes: 0 success, 1 a check failed (for example findings above a threshold), 2 usage error.
 */
@Command(
        name = "warden",
        mixinStandardHelpOptions = true,
        versionProvider = WardenVersion.class,
        description = "Runtime protection, scanning and inventory for Java functions on AWS Lambda.",
        subcommands = {
            CommandLine.HelpCommand.class,
            InvokeCommand.class,
            ScanCommand.class,
            DbCommand.class,
            AwsCommand.class,
            ServeCommand.class,
            PolicyCommand.class,
            IamCommand.class,
            TokenCommand.class,
        })
public final class WardenCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }

    public static CommandLine commandLine() {
        return new CommandLine(new WardenCommand());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
