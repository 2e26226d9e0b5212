package security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.Need;
import support.Project;

/**
 * The exposure of every service unit in configs/systemd as {@code systemd-analyze security --offline=true}
 * measures it (0 = locked down, 10 = exposed; systemd 252, Debian 12). The target is 2.0 at most; each unit
 * also has its measured score here as a ceiling, so a unit that gets worse fails, and a new unit must be
 * measured and listed. Before this issue all three units scored 3.6.
 */
class UnitExposureTest {
    static final double TARGET = 2.0;
    /** The measured exposure of each unit: the ceiling. Lower it when a unit gets better. */
    static final Map<String, Double> CEILING = Map.of(
            "pr-cybr-telemetry.service", 1.8,
            "pr-cybr-telemetry-daemon.service", 1.8,
            "pr-cybr-swarm-watch.service", 1.8);

    static final Pattern OVERALL = Pattern.compile("Overall exposure level for (\\S+): (\\d+\\.\\d+)");

    static Path dir() {
        return Project.basedir().resolve("configs/systemd");
    }

    static void needAnalyze() {
        ProcessResult v;
        try {
            v = new ProcessRunner()
                    .runAnyExit(Command.of("systemd-analyze", "--version").timeout(Duration.ofSeconds(30)));
        } catch (RuntimeException e) {
            Need.that(false, "systemd-analyze is not installed (Debian: systemd)");
            return;
        }
        Matcher m = Pattern.compile("systemd (\\d+)").matcher(v.stdout());
        Need.that(
                m.find() && Integer.parseInt(m.group(1)) >= 250,
                "systemd-analyze security --offline needs systemd 250 or later: "
                        + v.stdout().lines().findFirst().orElse(""));
    }

    /** The overall exposure systemd-analyze gives a unit file. */
    static double exposure(Path unit) {
        ProcessResult r = new ProcessRunner()
                .runAnyExit(Command.of("systemd-analyze", "security", "--offline=true", "--no-pager", unit.toString())
                        .timeout(Duration.ofSeconds(60)));
        Matcher m = OVERALL.matcher(r.stdout() + r.stderr());
        assertTrue(m.find(), unit + ": no overall exposure in: " + r.stdout() + r.stderr());
        return Double.parseDouble(m.group(2));
    }

    /** One line per unit over its ceiling or the target, or not listed at all. */
    static List<String> problems(Path dir, Map<String, Double> scores) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path u :
                    s.filter(p -> p.toString().endsWith(".service")).sorted().toList()) {
                String name = u.getFileName().toString();
                double e = exposure(u);
                scores.put(name, e);
                Double ceiling = CEILING.get(name);
                if (ceiling == null)
                    out.add(name + ": exposure " + e + ", not measured yet: list it in UnitExposureTest.CEILING");
                else if (e > ceiling) out.add(name + ": exposure " + e + ", worse than its " + ceiling);
                if (e > TARGET) out.add(name + ": exposure " + e + ", above the target " + TARGET);
            }
        }
        return out;
    }

    @Test
    void everyUnitIsAtMostTwoAndNoWorseThanMeasured() throws IOException {
        needAnalyze();
        Map<String, Double> scores = new TreeMap<>();
        List<String> problems = problems(dir(), scores);
        System.out.println("systemd-analyze security --offline=true: " + scores);
        assertEquals(List.of(), problems);
        assertEquals(CEILING.keySet(), scores.keySet(), "every listed unit exists");
    }

    /** The check itself: the telemetry unit without its system call filter scores worse and is reported. */
    @Test
    void aUnitThatLosesItsHardeningIsReported(@TempDir Path tmp) throws IOException {
        needAnalyze();
        String unit = Files.readString(dir().resolve("pr-cybr-telemetry.service"));
        String weaker = unit.lines()
                .filter(l -> !l.startsWith("SystemCallFilter=") && !l.startsWith("PrivateMounts="))
                .reduce("", (a, b) -> a + b + "\n");
        Files.writeString(tmp.resolve("pr-cybr-telemetry.service"), weaker);
        Map<String, Double> scores = new TreeMap<>();
        List<String> problems = problems(tmp, scores);
        assertTrue(
                scores.get("pr-cybr-telemetry.service") > CEILING.get("pr-cybr-telemetry.service"), scores.toString());
        assertTrue(
                problems.get(0)
                        .startsWith("pr-cybr-telemetry.service: exposure " + scores.get("pr-cybr-telemetry.service")
                                + ", worse than its 1.8"),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.endsWith("above the target 2.0")), problems.toString());
    }
}
