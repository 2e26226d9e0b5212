package lib.cli;

import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Shell completion of the scripts: picocli's {@link AutoComplete} bash script of each command, which zsh
 * runs too through bashcompinit (the script loads it itself). Generated from the scripts' own options and
 * shipped in {@link #DIR} (JBang {@code //FILES} of install.java, Maven resources), one file per script;
 * install.java installs them under /etc/bash_completion.d. tests/java/build/CompletionFilesTest fails when a
 * shipped file differs from what the script's current options generate; tests/tools/GenerateCompletions.java
 * writes them anew.
 */
public final class Completion {
    /** Where the generated files are kept in the repository and on the class path. */
    public static final String DIR = "configs/bash-completion";

    private Completion() {}

    /** The scripts, by the name typed after jbang's catalog or n0d3.jar: install, swarm-join, telemetry, ... */
    public static List<String> scripts() {
        return List.copyOf(Launcher.SCRIPTS.keySet());
    }

    /** The shipped completion file of a script ({@code swarm-join} → configs/bash-completion/swarm-join.bash). */
    public static String resource(String script) {
        return DIR + "/" + script + ".bash";
    }

    /**
     * The completion script of a command object (its @Command name, such as telemetry.java, is what it
     * completes): picocli's, with a header after its shebang line saying where it comes from, and the one
     * shellcheck warning its {@code COMPREPLY=( $(compgen ...) )} idiom raises turned off.
     */
    public static String bash(Object command) {
        CommandLine cl = Cli.commandLine(command);
        String script = AutoComplete.bash(cl.getCommandName(), cl);
        int eol = script.indexOf('\n') + 1;
        return script.substring(0, eol)
                + "# PR-CYBR-N0D3: completion of " + cl.getCommandName()
                + ", generated from its options by picocli.AutoComplete\n"
                + "# (tests/tools/GenerateCompletions.java); do not edit. install.java installs it in /etc/bash_completion.d.\n"
                + "# COMPREPLY=( $(compgen ...) ) below is the completion idiom picocli writes:\n"
                + "# shellcheck disable=SC2207\n"
                + script.substring(eol);
    }

    /** The script's command object, by name (the scripts live in the default package, as in {@link Launcher}). */
    public static Object command(String script) throws ReflectiveOperationException {
        return Class.forName(Launcher.SCRIPTS.get(script))
                .getDeclaredConstructor()
                .newInstance();
    }
}
