package build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import lib.cli.Cli;
import lib.cli.Completion;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import support.Need;
import support.Project;

/**
 * The shipped completion files (configs/bash-completion) are exactly what each script's current options
 * generate, install.java carries them, and they complete those options in bash and in zsh (through
 * bashcompinit, which the files start themselves).
 */
class CompletionFilesTest {
    @TempDir
    Path tmp;

    static Stream<String> scripts() {
        return Completion.scripts().stream();
    }

    static String shipped(String script) throws Exception {
        return Files.readString(Project.basedir().resolve(Completion.resource(script)), StandardCharsets.UTF_8);
    }

    static CommandLine commandLine(String script) throws Exception {
        return Cli.commandLine(Completion.command(script));
    }

    /** Every option name of the script (-c, --config, ...) but those of hidden options, which --help does not show either. */
    static Set<String> optionNames(String script) throws Exception {
        Set<String> out = new TreeSet<>();
        commandLine(script).getCommandSpec().options().stream()
                .filter(o -> !o.hidden())
                .forEach(o -> out.addAll(List.of(o.names())));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void theShippedFileIsWhatTheScriptsCurrentOptionsGenerate(String script) throws Exception {
        assertEquals(
                Completion.bash(Completion.command(script)),
                shipped(script),
                Completion.resource(script)
                        + " is stale: regenerate with: mvn -B -q -o package -DskipTests && java -cp target/n0d3.jar tests/tools/GenerateCompletions.java");
        for (String name : optionNames(script))
            assertTrue(shipped(script).contains("'" + name + "'"), script + ": " + name);
    }

    @Test
    void installJavaCarriesEveryFile() {
        JBangScript install = JBangScript.read(Project.basedir().resolve("install.java"));
        List<String> missing = new ArrayList<>();
        List<String> targets =
                install.files().stream().map(JBangScript::fileTarget).toList();
        for (String script : Completion.scripts())
            if (!targets.contains(Completion.resource(script))) missing.add(Completion.resource(script));
        assertEquals(List.of(), missing, "//FILES lines install.java lacks");
    }

    static ProcessResult shell(Path cwd, String... argv) {
        return new ProcessRunner()
                .runAnyExit(Command.of(argv)
                        .dir(cwd)
                        .env("HOME", cwd.toString())
                        .env("ZDOTDIR", cwd.toString())
                        .timeout(Duration.ofSeconds(60)));
    }

    /** Completes {@code words} (the last one being completed) with the script's completion function; the candidates. */
    static String completeIn(String shell, Path file, String command, String... words) {
        StringBuilder w = new StringBuilder();
        for (String x : words) w.append(" '").append(x).append('\'');
        String fn = "_complete_" + command;
        String body = "source '" + file + "' >/dev/null\n"
                + (shell.equals("zsh")
                        ? "print -r -- \"registered: ${_comps[" + command
                                + "]}\"\nsetopt ksharrays\n" // what zsh's _bash_complete sets
                        : "echo \"registered: $(complete -p " + command + ")\"\n")
                + "COMP_WORDS=(" + command + w + ")\nCOMP_CWORD=" + words.length + "\nCOMPREPLY=()\n" + fn + "\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        return body;
    }

    static Set<String> candidates(String out) {
        Set<String> s = new TreeSet<>();
        out.lines().filter(l -> !l.startsWith("registered: ") && !l.isBlank()).forEach(s::add);
        return s;
    }

    static String registration(String out) {
        return out.lines().filter(l -> l.startsWith("registered: ")).findFirst().orElse("");
    }

    /** Completes "CMD -" in bash or zsh (its ksharrays on, as zsh's _bash_complete sets): every visible option comes back; the registration line. */
    String everyOptionIn(String shell, String script) throws Exception {
        Path file = Project.basedir().resolve(Completion.resource(script));
        String command = commandLine(script).getCommandName();
        String body = completeIn(shell, file, command, "-");
        ProcessResult r = shell.equals("zsh") ? shell(tmp, "zsh", "-f", "-c", body) : shell(tmp, "bash", "-c", body);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertEquals(optionNames(script), candidates(r.stdout()), r.stderr());
        return registration(r.stdout());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void bashCompletesEveryOptionAndFilesAfterConfig(String script) throws Exception {
        Need.that(ProcessRunner.onPath("bash"), "bash is not installed");
        Path file = Project.basedir().resolve(Completion.resource(script));
        String command = commandLine(script).getCommandName();
        assertEquals(
                "registered: complete -o default -F _complete_" + command + " " + command,
                everyOptionIn("bash", script));
        Files.writeString(tmp.resolve("node-codex.yaml"), "{}\n");
        ProcessResult config = shell(tmp, "bash", "-c", completeIn("bash", file, command, "--config", "node-"));
        assertEquals(Set.of("node-codex.yaml"), candidates(config.stdout()), config.stderr());
        ProcessResult verbose = shell(tmp, "bash", "-c", completeIn("bash", file, command, "--verb"));
        assertEquals(Set.of("--verbose"), candidates(verbose.stdout()), verbose.stderr());
    }

    /**
     * zsh runs the same file through bashcompinit (started by the file itself): the registration it makes,
     * the candidates the function gives (zsh's own matching then filters them by what is typed), and a real
     * interactive zsh on a pseudo-terminal (zsh/zpty) completing {@code CMD --verb<TAB>} to --verbose and
     * listing every long option for {@code CMD --<TAB><TAB>}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void zshCompletesEveryOptionThroughBashcompinit(String script) throws Exception {
        Need.that(ProcessRunner.onPath("zsh"), "zsh is not installed (Debian: zsh; tests/lab/install.sh installs it)");
        Path file = Project.basedir().resolve(Completion.resource(script));
        String command = commandLine(script).getCommandName();
        assertEquals(
                "registered: _bash_complete -F _complete_" + command + " -o default", everyOptionIn("zsh", script));

        Files.writeString(
                tmp.resolve("drive.zsh"),
                String.join(
                        "\n",
                        "zmodload zsh/zpty",
                        "zpty -b z 'zsh -f -i'",
                        "zpty -w z 'PS1=\"> \"; source " + file
                                + " >/dev/null 2>&1; zstyle \":completion:*\" list-prompt \"\"; LISTMAX=1000'",
                        "zpty -w -n z $'" + command + " --verb\\t'",
                        "zpty -r -m z out '*--verbose*' && print -r -- \"$out\"",
                        "zpty -w -n z $'\\C-u" + command + " --\\t\\t'",
                        "zpty -r -m z out '*--version*" + command
                                + " --*' && print -r -- \"$out\"", // the list, then the line drawn again
                        "zpty -d z",
                        ""));
        ProcessResult tty = shell(tmp, "zsh", "-f", tmp.resolve("drive.zsh").toString());
        String screen = tty.stdout().replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "").replaceAll("[\u0007\r\b]", "");
        assertEquals(0, tty.exitCode(), screen + tty.stderr());
        assertTrue(screen.contains(command + " --verbose"), "--verb<TAB> completes to --verbose:\n" + screen);
        Set<String> listed = new TreeSet<>(List.of(screen.split("\\s+")));
        List<String> missing = optionNames(script).stream()
                .filter(o -> o.startsWith("--") && !listed.contains(o))
                .toList();
        assertEquals(List.of(), missing, "--<TAB><TAB> lists every long option:\n" + screen);
    }
}
