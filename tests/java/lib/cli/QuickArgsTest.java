package lib.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * QuickArgs reads exactly what picocli would read, or leaves the command line to picocli: telemetry.java's quick
 * list against its @Options, the same command lines parsed both ways, and the systemd units' own command lines
 * taking the quick path.
 */
class QuickArgsTest {
    static BaseCommand telemetry() throws ReflectiveOperationException {
        return (BaseCommand) Class.forName("telemetry").getDeclaredConstructor().newInstance();
    }

    /** Every @Option field of the command and of its common options, by field, with its value. */
    static Map<String, Object> options(BaseCommand c) throws IllegalAccessException {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Object o : new Object[] {c, c.common}) {
            for (Class<?> k = o.getClass(); k != null; k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (f.getAnnotation(Option.class) == null) continue;
                    f.setAccessible(true);
                    m.put(k.getName() + "." + f.getName(), f.get(o));
                }
            }
        }
        return m;
    }

    @Test
    void telemetrysQuickOptionsAreItsPicocliOptionsWithTheSameNamesAndArity() throws Exception {
        BaseCommand t = telemetry();
        CommandLine.Model.CommandSpec spec = new CommandLine(telemetry()).getCommandSpec();
        List<String> entries = new ArrayList<>(Arrays.asList(t.quickOptions()));
        entries.addAll(Arrays.asList(QuickArgs.COMMON));
        for (String entry : entries) {
            String names = entry.contains("=") ? entry.substring(0, entry.indexOf('=')) : entry;
            OptionSpec o = spec.findOption(QuickArgs.canonical(entry));
            assertNotNull(o, entry + ": no such option");
            assertEquals(
                    new TreeSet<>(Arrays.asList(names.split("\\|"))),
                    new TreeSet<>(Arrays.asList(o.names())),
                    entry + ": all its names, and only those");
            assertEquals(entry.contains("="), o.arity().max() > 0, entry + ": takes a value iff picocli's option does");
            assertEquals(
                    entry.endsWith("*"), o.isMultiValue(), entry + ": repeatable iff picocli's option is multi-valued");
        }
    }

    static final String[][] LINES = {
        {},
        {"--once"},
        {"--daemon"},
        {"--once", "--quiet"},
        {"-q", "--once"},
        {"-v"},
        {"--json"},
        {"--once", "--output", "textfile,-,mgmt", "--textfile-dir", "/x/tf", "--state-dir", "/x/st", "--quiet"},
        {"--daemon", "--interval", "15s", "--listen", "127.0.0.1:10464", "--quiet"},
        {"--daemon", "--interval=15s", "--listen=127.0.0.1:1"},
        {"-o", "-"},
        {"-o", "mgmt", "--output", "textfile"},
        {"--output=mgmt", "--send-now", "--pretty"},
        {"--docker-stats", "api"},
        {"--docker-stats=cgroup", "-c", "/etc/pr-cybr/codex.yaml"},
        {"--config=c.yaml", "--verbose"},
        {"--state-dir", "rel/dir"},
        {"--once", "--daemon"},
        {"--docker-stats", "nonsense"},
        // picocli's, not the quick path's
        {"--help"},
        {"-h"},
        {"-V"},
        {"--version"},
        {"--bogus"},
        {"--once", "--once"},
        {"-q", "--quiet"},
        {"--verbose", "-v"},
        {"--state-dir"},
        {"--state-dir", "--once"},
        {"--state-dir="},
        {"--state-dir", ""},
        {"@args.txt"},
        {"--once", "@x"},
        {"-qv"},
        {"--once=true"},
        {"x"},
        {"--once", "--", "x"},
        {"-ofoo"},
        {"--interval", "-1s", "--daemon"},
        {"--listen", "a", "--listen", "b"},
        {"--ONCE"},
    };

    @Test
    void whatTheQuickPathReadsPicocliReadsTheSameWayAndWhatItDoesNotItLeavesUntouched() throws Exception {
        int quick = 0;
        for (String[] line : LINES) {
            BaseCommand a = telemetry();
            Map<String, Object> before = options(a);
            if (QuickArgs.parse(a, line)) {
                quick++;
                BaseCommand b = telemetry();
                new CommandLine(b).parseArgs(line); // throws if picocli refuses what the quick path took
                assertEquals(options(b), options(a), String.join(" ", line));
            } else {
                assertEquals(before, options(a), "left untouched: " + String.join(" ", line));
            }
        }
        assertEquals(19, quick, "the lines above the comment take the quick path");
    }

    @Test
    void theUnitsCommandLinesTakeTheQuickPath() throws Exception {
        Path units = Path.of("configs/systemd");
        int seen = 0;
        try (var files = Files.list(units)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".service")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    int at = line.indexOf("n0d3.jar telemetry ");
                    if (!line.startsWith("Exec") || at < 0) continue;
                    String rest = line.substring(at + "n0d3.jar telemetry ".length());
                    int end = rest.indexOf(" >");
                    String[] args =
                            (end < 0 ? rest : rest.substring(0, end)).trim().split(" +");
                    assertTrue(QuickArgs.parse(telemetry(), args), f.getFileName() + ": " + String.join(" ", args));
                    seen++;
                }
            }
        }
        assertEquals(4, seen, "the timer's and the daemon's ExecStartPre and ExecStart");
    }

    @Test
    void nameLookupTakesWholeNamesOnly() {
        String[] list = {"-o|--output=*", "--once"};
        assertEquals("-o|--output=*", QuickArgs.find(list, "-o"));
        assertEquals("-o|--output=*", QuickArgs.find(list, "--output"));
        assertEquals("--once", QuickArgs.find(list, "--once"));
        for (String n : new String[] {"-", "--out", "--outputs", "o", "--onc", "|", ""})
            assertEquals(null, QuickArgs.find(list, n), n);
        assertEquals("--output", QuickArgs.canonical("-o|--output=*"));
        assertEquals("--once", QuickArgs.canonical("--once"));
    }

    /** CliTest's command, with its --do read by the quick path too. */
    static final class Quick extends CliTest.T {
        @Override
        protected String[] quickOptions() {
            return new String[] {"--do="};
        }

        @Override
        protected void quickSet(String name, String value) {
            what = value;
        }
    }

    @Test
    void aQuickRunEndsAsAPicocliRunDoes() throws IOException {
        for (String[] line : new String[][] {
            {},
            {"--do", "usage"},
            {"--do", "failure"},
            {"--do", "state"},
            {"--do", "boom"},
            {"--do", "other"},
            {"--verbose", "--do", "boom"},
            {"--verbose", "--quiet"},
            {"--do=ok", "--quiet"}
        }) {
            String[] quick = run(new Quick(), line);
            String[] picocli = run(new CliTest.T(), line);
            // a stack trace names the class that threw it and picocli's frames: compare what comes before
            assertEquals(picocli[0], quick[0], "exit code of " + Arrays.toString(line));
            assertEquals(head(picocli[1]), head(quick[1]), "stderr of " + Arrays.toString(line));
            assertEquals(picocli[2], quick[2], "stdout of " + Arrays.toString(line));
            assertTrue(QuickArgs.parse(new Quick(), line), "quick: " + Arrays.toString(line));
        }
    }

    static String head(String stderr) {
        int at = stderr.indexOf("\tat ");
        return (at < 0 ? stderr : stderr.substring(0, at)).replace("QuickArgsTest$Quick", "CliTest$T");
    }

    static String[] run(BaseCommand c, String[] line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Log.reset();
        Log.setColor(false);
        Log.redirect(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Cli.execute(c, line);
            return new String[] {
                String.valueOf(code), err.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8)
            };
        } finally {
            Log.reset();
        }
    }

    @Test
    void theCommonOptionsAreSetByTheirLastName() {
        CommonOptions o = new CommonOptions();
        o.quickSet("--verbose", null);
        o.quickSet("--quiet", null);
        o.quickSet("--json", null);
        o.quickSet("--config", "c.yaml");
        assertTrue(o.verbose && o.quiet && o.json);
        assertEquals(Path.of("c.yaml"), o.config);
    }
}
