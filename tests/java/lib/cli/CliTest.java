package lib.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Cli.execute: exit codes, one-line errors, no stack traces unless --verbose, colour rules. */
class CliTest {
    @Command(
            name = "t.java",
            mixinStandardHelpOptions = true,
            versionProvider = Version.class,
            description = "test command")
    static class T extends BaseCommand {
        @Mixin
        DryRunOption dry = new DryRunOption();

        @Option(names = "--do")
        String what = "ok";

        boolean ran;

        @Override
        protected int run() {
            ran = true;
            return switch (what) {
                case "ok" -> {
                    Log.info("doing it");
                    Log.result(dry.dryRun ? "plan" : "done");
                    yield 0;
                }
                case "usage" ->
                    throw N0d3Exception.usage("codex.yaml:3:5: capabilities.swarm.role: expected worker or manager");
                case "failure" -> throw N0d3Exception.failure("manager 10.0.0.1:2377 did not answer");
                case "state" -> throw N0d3Exception.unexpectedState("this node is in another swarm");
                case "boom" ->
                    throw new IllegalStateException(
                            "kaboom with SWMTKN-1-4qv7itakbt20yzq8hihptzy0l9bucgds9q3jt00aoqz37v3mlm-2bxyxvxe4a0k2a4qvv8sdhecy");
                default -> 7;
            };
        }
    }

    /** A DURATION option and two options that exclude each other, as the scripts have them. */
    @Command(name = "u.java")
    static class U extends BaseCommand {
        @Option(names = "--wait", converter = PositiveDuration.class, defaultValue = "30s")
        java.time.Duration wait;

        static class Side {
            @Option(names = "--up")
            boolean up;

            @Option(names = "--down")
            boolean down;
        }

        @ArgGroup(exclusive = true)
        Side side = new Side();

        @Override
        protected int run() {
            Log.result(wait.toMillis() + (side.up ? " up" : side.down ? " down" : ""));
            return 0;
        }
    }

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void capture() {
        Log.reset();
        Log.setColor(false);
        Log.redirect(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        Log.reset();
    }

    String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    List<String> stderrLines() {
        return stderr().lines().toList();
    }

    @Test
    void successIsExit0WithTheResultOnStdout() {
        T t = new T();
        assertEquals(ExitCode.OK, Cli.execute(t));
        assertTrue(t.ran);
        assertEquals("done", out.toString(StandardCharsets.UTF_8).strip());
        assertEquals(List.of("doing it"), stderrLines());
    }

    @Test
    void returnedCodeIsTheExitCode() {
        assertEquals(7, Cli.execute(new T(), "--do", "other"));
    }

    @Test
    void usageExceptionIsExit2WithItsMessageOnOneLine() {
        assertEquals(2, Cli.execute(new T(), "--do", "usage"));
        assertEquals(
                List.of("error: codex.yaml:3:5: capabilities.swarm.role: expected worker or manager"), stderrLines());
    }

    @Test
    void failureExceptionIsExit1() {
        assertEquals(1, Cli.execute(new T(), "--do", "failure"));
        assertEquals(List.of("error: manager 10.0.0.1:2377 did not answer"), stderrLines());
    }

    @Test
    void unexpectedStateExceptionIsExit3() {
        assertEquals(3, Cli.execute(new T(), "--do", "state"));
        assertEquals(List.of("error: this node is in another swarm"), stderrLines());
    }

    @Test
    void unexpectedRuntimeExceptionIsExit1OneRedactedLineWithoutStackTrace() {
        assertEquals(1, Cli.execute(new T(), "--do", "boom"));
        List<String> lines = stderrLines();
        assertEquals(1, lines.size(), stderr());
        assertTrue(lines.get(0).startsWith("error: unexpected IllegalStateException: kaboom with "), lines.get(0));
        assertTrue(lines.get(0).endsWith("(run with --verbose for details)"), lines.get(0));
        assertFalse(stderr().contains("\tat "), "no stack trace without --verbose");
        assertFalse(stderr().contains("2bxyxvxe4a0k2a4qvv8sdhecy"), "token secret part leaked");
    }

    @Test
    void verbosePrintsTheStackTraceRedacted() {
        assertEquals(1, Cli.execute(new T(), "--verbose", "--do", "boom"));
        assertTrue(stderr().contains("\tat lib.cli.CliTest$T.run"), stderr());
        assertFalse(stderr().contains("2bxyxvxe4a0k2a4qvv8sdhecy"), "token secret part leaked in the stack trace");
    }

    @Test
    void unknownOptionIsExit2WithOneLineNamingIt() {
        T t = new T();
        assertEquals(2, Cli.execute(t, "--frobnicate"));
        assertFalse(t.ran);
        assertEquals(List.of("error: Unknown option: '--frobnicate' (see 't.java --help')"), stderrLines());
    }

    @Test
    void missingOptionValueIsExit2() {
        assertEquals(2, Cli.execute(new T(), "--do"));
        assertEquals(1, stderrLines().size(), stderr());
        assertTrue(stderr().contains("--do"), stderr());
    }

    @Test
    void verboseAndQuietTogetherIsExit2AndNothingRuns() {
        T t = new T();
        assertEquals(2, Cli.execute(t, "--verbose", "--quiet"));
        assertFalse(t.ran);
        assertEquals(List.of("error: --verbose and --quiet cannot be used together"), stderrLines());
    }

    /** A value the converter refuses reads "--flag: what was expected", like every other refusal; the default converts too. */
    @Test
    void aDurationOptionIsConvertedByTheOneRuleAndARefusalNamesTheFlag() {
        assertEquals(0, Cli.execute(new U(), "--wait", "1500ms"));
        assertEquals(0, Cli.execute(new U()));
        assertEquals(
                List.of("1500", "30000"),
                out.toString(StandardCharsets.UTF_8).lines().toList());
        assertEquals(2, Cli.execute(new U(), "--wait", "soon"));
        assertEquals(2, Cli.execute(new U(), "--wait", "0s"));
        assertEquals(
                List.of(
                        "error: --wait: expected a duration such as 500ms, 60s, 5m, 1h or 7d, got 'soon' (see 'u.java --help')",
                        "error: --wait: expected a duration above zero, such as 500ms, 60s, 5m, 1h or 7d, got '0s' (see 'u.java --help')"),
                stderrLines());
    }

    @Test
    void exclusiveOptionsAreOneLineNamingBothWithoutPicocliSErrorPrefix() {
        assertEquals(0, Cli.execute(new U(), "--down"));
        assertEquals(2, Cli.execute(new U(), "--up", "--down"));
        assertEquals(
                List.of("error: --up, --down are mutually exclusive (specify only one) (see 'u.java --help')"),
                stderrLines());
    }

    @Test
    void quietHidesInfoButNotResults() {
        assertEquals(0, Cli.execute(new T(), "-q"));
        assertEquals("", stderr());
        assertEquals("done", out.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void dryRunMixinIsParsed() {
        assertEquals(0, Cli.execute(new T(), "--dry-run"));
        assertEquals("plan", out.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void noColorDisablesColourEvenOnATerminal() {
        assertTrue(Log.detectColor(Map.of(), true), "a terminal without NO_COLOR gets colour");
        assertFalse(Log.detectColor(Map.of(), false), "no terminal, no colour");
        assertFalse(Log.detectColor(Map.of("NO_COLOR", "1"), true));
        assertFalse(Log.detectColor(Map.of("TERM", "dumb"), true));
        // no-color.org: "present and not an empty string"
        assertTrue(Log.detectColor(Map.of("NO_COLOR", ""), true));
    }

    @Test
    void colourOnlyWhenEnabled() {
        Log.setColor(true);
        Log.error("red");
        Log.setColor(false);
        Log.error("plain");
        assertEquals(List.of("\u001b[31merror: red\u001b[0m", "error: plain"), stderrLines());
    }

    @Test
    void helpHasNoEscapeCodesWhenColourIsOff() {
        Log.setColor(false);
        java.io.StringWriter sw = new java.io.StringWriter();
        var cl = Cli.commandLine(new T());
        cl.setOut(new java.io.PrintWriter(sw));
        assertEquals(0, cl.execute("--help"));
        assertTrue(sw.toString().contains("--verbose"), sw.toString());
        assertFalse(sw.toString().contains("\u001b["), "escape codes in --help with colour off");
    }

    @Test
    void versionOptionPrintsTheBuildVersion() {
        java.io.StringWriter sw = new java.io.StringWriter();
        var cl = Cli.commandLine(new T());
        cl.setOut(new java.io.PrintWriter(sw));
        assertEquals(0, cl.execute("--version"));
        assertTrue(sw.toString().startsWith("t.java " + Version.VERSION + " (PR-CYBR-N0D3; Java "), sw.toString());
    }

    @Test
    void exceptionMessagesAreRedactedWhenBuilt() {
        N0d3Exception e = N0d3Exception.failure("join failed with token SWMTKN-1-abcdef0123-xyz987654");
        assertEquals("join failed with token SWMTKN-1-***", e.getMessage());
        assertEquals(1, e.exitCode());
    }
    /**
     * Cli drops picocli's reflective java.sql/java.time converters to save start-up: no script may have such an option
     * unless it names its own converter (a DURATION: lib.cli.PositiveDuration).
     */
    @Test
    void noScriptHasAnOptionWhoseConverterCliExcludes() throws Exception {
        java.util.regex.Pattern excluded = java.util.regex.Pattern.compile(Cli.CONVERTER_EXCLUDES.replace(",", "|"));
        int options = 0;
        for (String cls : Launcher.SCRIPTS.values()) {
            var spec = Cli.commandLine(
                            Class.forName(cls).getDeclaredConstructor().newInstance())
                    .getCommandSpec();
            for (var o : spec.options()) {
                options++;
                if (o.converters().length > 0) continue;
                for (Class<?> t : java.util.stream.Stream.concat(
                                java.util.stream.Stream.of(o.type()), java.util.Arrays.stream(o.auxiliaryTypes()))
                        .toList()) {
                    assertFalse(
                            excluded.matcher(t.getName()).matches(),
                            cls + " " + o.longestName() + " is a " + t.getName() + ": picocli would not convert it");
                }
            }
        }
        assertTrue(options > 50, "every script's options were seen: " + options);
        assertTrue(excluded.matcher("java.time.Duration").matches()
                && !excluded.matcher("java.nio.file.Path").matches());
        var cl = Cli.commandLine(new T());
        assertEquals(Cli.CONVERTER_EXCLUDES, System.getProperty("picocli.converters.excludes"));
        assertEquals(0, cl.execute("--do", "ok"), "a String option still converts");
    }
}
