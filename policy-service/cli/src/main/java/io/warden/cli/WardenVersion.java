package io.warden.cli;

import picocli.CommandLine;

/** Reports the version recorded in the jar's manifest at build time. */
public final class WardenVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = WardenVersion.class.getPackage().getImplementationVersion();
        return new String[] {"warden " + (version == null ? "development build" : version)};
    }
}
