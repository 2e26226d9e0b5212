package telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ChildJvm;
import support.Project;

/**
 * pr-cybr-telemetry.service's ExecStartPre and ExecStart, run for real (with the packaged jar and a
 * scratch state dir in place of /opt/pr-cybr/n0d3.jar and /var/lib/pr-cybr/telemetry): the pre-step
 * makes a static AppCDS archive, the launch line maps it (checked with -Xshare:on, which refuses to
 * start without a usable archive) and loads picocli's Java 5 class files from it, which a dynamic
 * archive cannot hold; a second pre-step leaves the archive alone.
 */
class UnitCdsArchiveIT {
    static final Path UNIT = Project.basedir().resolve("configs/systemd/pr-cybr-telemetry.service");

    /** A unit line with this checkout's jar and state dir, and systemd's "$$" unescaped as systemd does. */
    static String line(String key, Path jar, Path state) throws Exception {
        for (String l : Files.readAllLines(UNIT)) {
            if (l.startsWith(key + "=")) {
                return l.substring(key.length() + 1)
                        .replace("/opt/pr-cybr/n0d3.jar", jar.toString())
                        .replace("/var/lib/pr-cybr/telemetry", state.toString())
                        .replace("$$", "$");
            }
        }
        throw new AssertionError("no " + key + " in " + UNIT);
    }

    @Test
    void thePreStepMakesTheArchiveTheLaunchMaps(@TempDir Path state) throws Exception {
        Path jar = Project.packagedJar();
        Map<String, String> env = Map.of("DOCKER_HOST", "unix://" + state.resolve("no-docker.sock"));
        String pre = line("ExecStartPre", jar, state);
        assertTrue(pre.startsWith("/bin/sh -c '") && pre.endsWith("'"), pre);
        String script = pre.substring("/bin/sh -c '".length(), pre.length() - 1);
        ChildJvm.Result made = ChildJvm.run(List.of("/bin/sh", "-c", script), env, state);
        assertEquals(0, made.exit(), made.stderr());
        Path jsa = state.resolve("n0d3.jsa");
        assertTrue(Files.size(jsa) > 1_000_000, "the pre-step made " + jsa);
        long madeAt = Files.getLastModifiedTime(jsa).toMillis();

        List<String> launch =
                new ArrayList<>(List.of(line("ExecStart", jar, state).split(" ")));
        assertEquals("-Xshare:auto", launch.get(launch.indexOf("-Xshare:auto")));
        launch.set(launch.indexOf("-Xshare:auto"), "-Xshare:on");
        launch.add(1, "-Xlog:class+load=info:stdout");
        launch.add("--output");
        launch.add("textfile");
        launch.add("--textfile-dir");
        launch.add(state.resolve("prom").toString());
        // the unit's own state dir (/var/lib/pr-cybr/telemetry) is the default: mapped here, never the host's
        launch.addAll(List.of("--state-dir", state.resolve("run").toString()));
        ChildJvm.Result run = ChildJvm.run(launch, env, state);
        assertEquals(0, run.exit(), run.stderr());
        assertTrue(
                Files.readString(state.resolve("prom/pr_cybr_telemetry.prom")).contains("pr_cybr_"),
                "the launch wrote a sample");
        // the unit's command line is read by lib.cli.QuickArgs: picocli's model is never built on a timer run
        long picocli = run.stdout()
                .lines()
                .filter(l -> l.contains(" picocli.CommandLine "))
                .count();
        assertEquals(0, picocli, "picocli.CommandLine not loaded");
        assertTrue(
                run.stdout().lines().anyMatch(l -> l.contains(" lib.cli.QuickArgs source: shared objects file")),
                "the quick parser comes from the archive:\n"
                        + run.stdout()
                                .lines()
                                .filter(l -> l.contains("lib.cli."))
                                .findFirst()
                                .orElse(""));
        assertTrue(
                run.stdout()
                        .lines()
                        .anyMatch(l -> l.contains(" lib.telemetry.TelemetryAgent source: shared objects file")),
                "so do the project's classes");

        assertTrue(Files.notExists(state.resolve("cds-training")), "the training run's state is removed");

        // the management-node sink's HTTP client was trained too (aimed at a closed port, as the pre-step does)
        List<String> mgmt =
                new ArrayList<>(List.of(line("ExecStart", jar, state).split(" ")));
        mgmt.add(1, "-Xlog:class+load=info:stdout");
        mgmt.addAll(List.of("--state-dir", state.resolve("mgmt-run").toString()));
        Map<String, String> mgmtEnv = Map.of(
                "DOCKER_HOST", "unix://" + state.resolve("no-docker.sock"), "MGMT_NODE_URL", "http://127.0.0.1:9");
        ChildJvm.Result sent = ChildJvm.run(mgmt, mgmtEnv, state);
        assertEquals(0, sent.exit(), sent.stderr());
        assertTrue(sent.stderr().contains("connection refused"), sent.stderr());
        assertTrue(
                sent.stdout()
                        .lines()
                        .anyMatch(l ->
                                l.contains(" sun.net.www.protocol.http.HttpURLConnection source: shared objects file")),
                "the management client's classes come from the archive");

        ChildJvm.Result again = ChildJvm.run(List.of("/bin/sh", "-c", script), env, state);
        assertEquals(0, again.exit(), again.stderr());
        assertEquals(madeAt, Files.getLastModifiedTime(jsa).toMillis(), "an up-to-date archive is kept");
    }
}
