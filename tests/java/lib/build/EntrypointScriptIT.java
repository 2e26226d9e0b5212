package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ChildJvm;
import support.Project;

/**
 * docker/entrypoint.sh, the node image's ENTRYPOINT, run by sh on the packaged jar as the image runs it: the
 * telemetry daemon starts from the codex that the script's first run bound (its {@code --verbose} log says which
 * path it took), the script is replaced by the daemon (exec), and other commands pass through untouched.
 */
class EntrypointScriptIT {
    static final Path SCRIPT = Project.basedir().resolve("docker/entrypoint.sh");

    @TempDir
    Path tmp;

    Map<String, String> env() {
        return Map.of(
                "N0D3_JAR",
                Project.packagedJar().toString(),
                "DOCKER_HOST",
                "unix://" + tmp.resolve("no-docker.sock"),
                "PATH",
                Path.of(ChildJvm.java()).getParent() + ":/usr/bin:/bin");
    }

    /** What a daemon started by {@code cmd} logs about its codex, and whether the started process became java. */
    record Daemon(String codexLine, String command) {}

    Daemon daemon(List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env());
        Process p = pb.start();
        try {
            CompletableFuture<String> codex = CompletableFuture.supplyAsync(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                    List<String> seen = new ArrayList<>();
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        if (l.contains("codex: ")) return l;
                        seen.add(l);
                    }
                    return "(ended without a codex line) " + seen;
                } catch (IOException e) {
                    return e.toString();
                }
            });
            String line = codex.get(90, TimeUnit.SECONDS);
            return new Daemon(line, p.info().command().orElse("?"));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static List<String> daemonArgs(String... more) {
        List<String> a = new ArrayList<>(
                List.of("telemetry", "--daemon", "--listen", "127.0.0.1:0", "--interval", "1h", "--verbose"));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void theDaemonStartsFromTheCodexItsFirstRunBoundAndIsTheContainersProcess() throws Exception {
        Path state = Files.createDirectories(tmp.resolve("state"));
        List<String> cmd = new ArrayList<>(List.of("sh", SCRIPT.toString()));
        cmd.addAll(daemonArgs("--state-dir", state.toString()));
        Daemon d = daemon(cmd);
        assertTrue(
                d.codexLine().contains("codex: the bound copy in " + state.resolve("codex.validated")), d.codexLine());
        assertTrue(d.command().endsWith("/java"), "exec'd, not a child of sh: " + d.command());

        // the same daemon started by java directly on a fresh state dir binds the codex itself
        Path fresh = Files.createDirectories(tmp.resolve("fresh"));
        List<String> direct = new ArrayList<>(
                List.of(ChildJvm.java(), "-jar", Project.packagedJar().toString()));
        direct.addAll(daemonArgs("--state-dir", fresh.toString()));
        Daemon alone = daemon(direct);
        assertTrue(alone.codexLine().contains("codex: parsed and validated"), alone.codexLine());
    }

    @Test
    void theFirstRunReadsTheDaemonsConfigAndStateDirInEverySpelling() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("it's here"));
        Path config = dir.resolve("codex.yaml");
        String codex = Files.readString(Project.basedir().resolve("codex.yaml"));
        Files.writeString(config, codex + "\n# an operator's copy\n");
        Path state = Files.createDirectories(dir.resolve("state"));
        for (List<String> spelling : List.of(
                List.of("-c", config.toString(), "--state-dir=" + state),
                List.of("--config=" + config, "--state-dir", state.toString()),
                List.of("--config", config.toString(), "--state-dir", state.toString()))) {
            Files.deleteIfExists(state.resolve("codex.validated"));
            List<String> cmd = new ArrayList<>(List.of("sh", SCRIPT.toString()));
            cmd.addAll(daemonArgs(spelling.toArray(String[]::new)));
            Daemon d = daemon(cmd);
            assertTrue(
                    d.codexLine().contains("codex: the bound copy in " + state.resolve("codex.validated")),
                    spelling + ": " + d.codexLine());
        }
    }

    @Test
    void otherCommandsPassThroughWithoutAFirstRun() throws IOException {
        ChildJvm.Result v =
                ChildJvm.run(List.of("sh", SCRIPT.toString(), "--version"), env(), tmp, Duration.ofMinutes(1));
        assertEquals(0, v.exit(), v.stderr());
        assertTrue(v.stdout().startsWith("n0d3 "), v.stdout());

        Path state = Files.createDirectories(tmp.resolve("once"));
        ChildJvm.Result once = ChildJvm.run(
                List.of(
                        "sh",
                        SCRIPT.toString(),
                        "telemetry",
                        "--once",
                        "--output",
                        "-",
                        "--verbose",
                        "--state-dir",
                        state.toString()),
                env(),
                tmp,
                Duration.ofMinutes(1));
        assertEquals(0, once.exit(), once.stderr());
        assertEquals(1, once.stdout().lines().count(), once.stdout());
        List<String> codexLines =
                once.stderrLines().stream().filter(l -> l.contains("codex: ")).toList();
        assertEquals(1, codexLines.size(), once.stderr());
        assertTrue(codexLines.get(0).contains("codex: parsed and validated"), codexLines.get(0));
        assertFalse(once.stderr().contains("Exception"), once.stderr());
    }
}
