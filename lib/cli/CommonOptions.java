package lib.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every script takes: --verbose, --quiet, --json, --config. */
public class CommonOptions {
    @Option(
            names = {"-v", "--verbose"},
            description = "Show debug detail and stack traces.")
    public boolean verbose;

    @Option(
            names = {"-q", "--quiet"},
            description = "Print only warnings, errors and results.")
    public boolean quiet;

    @Option(names = "--json", description = "Print the result as JSON on stdout (progress stays on stderr).")
    public boolean json;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description =
                    "The node's codex.yaml (default: ./codex.yaml, then /etc/pr-cybr/codex.yaml, else the embedded default).")
    public Path config;

    /** One of {@link QuickArgs#COMMON}, by its last name, read without picocli. */
    void quickSet(String name, String value) {
        switch (name) {
            case "--verbose" -> verbose = true;
            case "--quiet" -> quiet = true;
            case "--json" -> json = true;
            case "--config" -> config = Path.of(value);
            default -> throw new IllegalArgumentException("not a common option: " + name);
        }
    }

    void apply() {
        if (verbose && quiet) {
            throw N0d3Exception.usage("--verbose and --quiet cannot be used together");
        }
        Log.configure(verbose ? Log.Level.VERBOSE : quiet ? Log.Level.QUIET : Log.Level.NORMAL);
    }
}
