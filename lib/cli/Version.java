package lib.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * The build's version. It is a constant so that JBang and the Maven jar print the same thing;
 * tests/java/build/VersionTest keeps it equal to the pom's version and to codex.yaml's metadata.version.
 */
public final class Version implements IVersionProvider {
    public static final String VERSION = "0.1.0";

    @Override
    public String[] getVersion() {
        return new String[] {
            "${COMMAND-FULL-NAME} " + VERSION + " (PR-CYBR-N0D3; Java " + System.getProperty("java.version") + ")"
        };
    }
}
