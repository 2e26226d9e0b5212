package lib.cli;

import picocli.CommandLine.Option;

/** For every script that changes the host: --dry-run prints the exact plan and changes nothing. */
public class DryRunOption {
    @Option(
            names = {"-n", "--dry-run"},
            description = "Print the exact plan and change nothing.")
    public boolean dryRun;
}
