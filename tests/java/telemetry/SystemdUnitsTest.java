package telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import org.junit.jupiter.api.Test;

/** configs/systemd: systemd-analyze verify, the hardening, and the launch line the bench and docs use. */
class SystemdUnitsTest {
    static final Path DIR = PayloadSchema.basedir().resolve("configs/systemd");
    static final List<String> UNITS =
            List.of("pr-cybr-telemetry.service", "pr-cybr-telemetry.timer", "pr-cybr-telemetry-daemon.service");

    @Test
    void systemdAnalyzeVerifyAcceptsTheUnits() {
        Tools.require("systemd-analyze");
        for (String u : UNITS) {
            ProcessResult r = new ProcessRunner()
                    .runAnyExit(Command.of(
                                    "systemd-analyze", "verify", DIR.resolve(u).toString())
                            .timeout(Duration.ofSeconds(60)));
            assertEquals(0, r.exitCode(), u + ": " + r.stdout() + r.stderr());
            assertEquals("", (r.stdout() + r.stderr()).strip(), u + " has findings");
        }
    }

    @Test
    void theServicesAreHardenedWithOnlyTheStateDirWritable() throws Exception {
        for (String u : List.of("pr-cybr-telemetry.service", "pr-cybr-telemetry-daemon.service")) {
            String text = Files.readString(DIR.resolve(u));
            for (String line : List.of(
                    "NoNewPrivileges=yes",
                    "ProtectSystem=strict",
                    "ReadWritePaths=/var/lib/pr-cybr/telemetry",
                    "ProtectHome=yes",
                    "PrivateTmp=yes",
                    "CapabilityBoundingSet=\n",
                    "StateDirectory=pr-cybr/telemetry",
                    "UMask=0077")) {
                assertTrue(text.contains(line), u + " lacks " + line.strip());
            }
        }
        String timer = Files.readString(DIR.resolve("pr-cybr-telemetry.timer"));
        assertTrue(timer.contains("RandomizedDelaySec="), "a fleet must not fire in the same second");
    }

    @Test
    void theTimerServiceLaunchesTheDocumentedCommand() throws Exception {
        String exec = execStart(DIR.resolve("pr-cybr-telemetry.service"));
        assertTrue(exec.startsWith("/usr/bin/java "), exec);
        assertTrue(exec.endsWith(" -jar /opt/pr-cybr/n0d3.jar telemetry --once"), exec);
        assertTrue(exec.contains("-XX:SharedArchiveFile=/var/lib/pr-cybr/telemetry/n0d3.jsa"), exec);
        String help = Files.readString(PayloadSchema.basedir().resolve("telemetry.java"));
        String footer = help.replaceAll("\"\\s*,\\s*\"\\s*", " ").replaceAll("\\s+", " ");
        assertTrue(footer.contains("runs: " + exec), "telemetry --help documents the exact launch line " + exec);
    }

    static String execStart(Path unit) throws Exception {
        for (String l : Files.readAllLines(unit))
            if (l.startsWith("ExecStart=")) return l.substring("ExecStart=".length());
        throw new AssertionError("no ExecStart in " + unit);
    }
}
