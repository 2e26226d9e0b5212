import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lib.cli.Cli;
import lib.cli.Log;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * swarm_join.java's command line without a swarm: usage errors (exit 2) before anything is touched,
 * the token never accepted as a flag value and never echoed, Docker down (exit 1), and the systemd
 * unit that runs --watch. Joins themselves are proven in the lab (tests/java/lib/swarm/*LabTest).
 */
class SwarmJoinScriptTest {
    static final String TOKEN = "SWMTKN-1-3micna2mqt41ym1wwsgspbq3b203uvp6zw69sykz2xl0dfzp4g-7zz8yy9xx0ww1vv2uu3tt4ss5";
    static final String SECRET_PART = "7zz8yy9xx0ww1vv2uu3tt4ss5";
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final Map<String, String> env = new HashMap<>();

    @TempDir
    Path tmp;

    @BeforeEach
    void capture() {
        Log.redirect(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        env.put("DOCKER_HOST", "unix://" + tmp.resolve("no-docker.sock"));
    }

    @AfterEach
    void reset() {
        Log.reset();
    }

    int run(String... args) {
        return Cli.execute(new swarm_join().withEnv(env), args);
    }

    String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    Path tokenFile(String value) throws Exception {
        Path f = tmp.resolve("token");
        Files.writeString(f, value + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    @Test
    void theTokenIsNeverAFlagValueAndIsNotEchoed() {
        assertEquals(2, run("--token", TOKEN, "--manager", "10.213.30.11"));
        assertFalse(stderr().contains(SECRET_PART), stderr());
        assertTrue(stderr().contains("Unknown option"), stderr());
    }

    @Test
    void noTokenIsAUsageErrorNamingTheSources() {
        assertEquals(2, run("--manager", "10.213.30.11"));
        assertTrue(
                stderr().contains(
                                "no join token given; pass --token-file FILE, SWARM_JOIN_TOKEN_FILE, SWARM_JOIN_TOKEN or --token-stdin"),
                stderr());
    }

    @Test
    void aMalformedTokenIsAUsageErrorWithoutItsValue() {
        env.put("SWARM_JOIN_TOKEN", "SWMTKN-1-short-" + SECRET_PART);
        assertEquals(2, run("--manager", "10.213.30.11"));
        assertTrue(
                stderr().contains("join token from environment SWARM_JOIN_TOKEN is not a swarm join token"), stderr());
        assertFalse(stderr().contains(SECRET_PART), stderr());
    }

    @Test
    void aMissingTokenFileIsNamed() {
        assertEquals(2, run("--token-file", tmp.resolve("nope").toString(), "--manager", "10.213.30.11"));
        assertTrue(stderr().contains("nope: secret file not found (given by --token-file)"), stderr());
    }

    @Test
    void conflictingModesAndFlags() {
        assertEquals(2, run("--check", "--status"));
        assertEquals(2, run("--force"));
        assertEquals(2, run("--watch", "--dry-run"));
        assertEquals(2, run("--mtu", "100", "--status"));
        assertEquals(2, run("--probe-timeout", "soon", "--status"));
        assertTrue(stderr().contains("--probe-timeout: expected a duration"), stderr());
    }

    @Test
    void aBadRoleOrManagerIsAUsageError() throws Exception {
        Path t = tokenFile(TOKEN);
        assertEquals(2, run("--token-file", t.toString(), "--role", "boss", "--manager", "10.213.30.11"));
        assertTrue(stderr().contains("--role: expected worker or manager, got 'boss'"), stderr());
        assertEquals(2, run("--token-file", t.toString(), "--manager", "10.213.30.11:99999"));
        assertTrue(stderr().contains("--manager: expected a manager address"), stderr());
        env.put("SWARM_MANAGER_IP", "10.213.30.11,bad/host");
        assertEquals(2, run("--token-file", t.toString()));
        assertTrue(stderr().contains("SWARM_MANAGER_IP"), stderr());
    }

    @Test
    void dockerDownIsAnOperationalFailure() throws Exception {
        assertEquals(1, run("--token-file", tokenFile(TOKEN).toString(), "--manager", "10.213.30.11"));
        assertTrue(stderr().contains("Docker is not running or not reachable"), stderr());
        assertFalse(stderr().contains(SECRET_PART), stderr());
        assertEquals(1, run("--status"));
    }

    @Test
    void theTokenFromStdinIsReadAndAnEmptyOneRefused() {
        java.io.InputStream in = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream((TOKEN + "\n").getBytes(StandardCharsets.UTF_8)));
            assertEquals(1, run("--token-stdin", "--manager", "10.213.30.11")); // token fine, Docker down
            assertTrue(stderr().contains("Docker is not running"), stderr());
            System.setIn(new java.io.ByteArrayInputStream(new byte[0]));
            assertEquals(2, run("--token-stdin", "--manager", "10.213.30.11"));
            assertTrue(stderr().contains("--token-stdin: no secret on standard input"), stderr());
        } finally {
            System.setIn(in);
        }
    }

    @Test
    void withoutManagersTheManagementNodeIsAskedWithTheApiToken() throws Exception {
        // a fake management node on loopback: the documented answer (schemas/mgmt-swarm-managers.schema.json)
        support.FakeHttp mgmt = support.FakeHttp.http()
                .answer(
                        support.FakeHttp.Answer.json(
                                200,
                                "{\"managers\":[{\"addr\":\"10.213.30.11:2377\",\"leader\":true,\"reachability\":\"reachable\"}]}"));
        try {
            Path apiToken = tmp.resolve("api-token");
            Files.writeString(apiToken, "mgmt-api-token-0123456789\n");
            Files.setPosixFilePermissions(apiToken, PosixFilePermissions.fromString("rw-------"));
            env.put("MGMT_NODE_URL", mgmt.url());
            env.put("API_TOKEN_FILE", apiToken.toString());
            assertEquals(1, run("--token-file", tokenFile(TOKEN).toString())); // managers fetched, then: Docker down
            assertEquals(
                    List.of("GET /api/swarm/managers Bearer mgmt-api-token-0123456789"),
                    mgmt.requests().stream()
                            .map(q -> q.line() + " " + q.header("Authorization"))
                            .toList());
            assertTrue(stderr().contains("managers from the management node http://127.0.0.1:"), stderr());
            assertFalse(stderr().contains("mgmt-api-token-0123456789"), stderr());
        } finally {
            mgmt.close();
        }
    }

    @Test
    void theWatchUnitPassesSystemdAnalyzeVerify() {
        support.Need.that(
                ProcessRunner.onPath("systemd-analyze"), "systemd-analyze is not installed (Debian: systemd)");
        Path unit = Path.of(System.getProperty("n0d3.basedir", "."), "configs/systemd/pr-cybr-swarm-watch.service");
        ProcessResult r = new ProcessRunner()
                .runAnyExit(
                        Command.of("systemd-analyze", "verify", unit.toString()).timeout(Duration.ofSeconds(60)));
        assertEquals(0, r.exitCode(), r.stderr());
        // verify only warns (exit 0) about lines it ignores: any output is a defect
        assertEquals("", r.stderr().strip() + r.stdout().strip());
    }

    @Test
    void theWatchUnitRunsOptionsTheScriptAccepts() throws Exception {
        Path unit = Path.of(System.getProperty("n0d3.basedir", "."), "configs/systemd/pr-cybr-swarm-watch.service");
        String exec = Files.readAllLines(unit).stream()
                .filter(l -> l.startsWith("ExecStart="))
                .findFirst()
                .orElseThrow();
        List<String> argv = List.of(exec.substring("ExecStart=".length()).split("\\s+"));
        int at = argv.indexOf("swarm-join");
        assertTrue(at > 0, exec);
        swarm_join cmd = new swarm_join();
        new CommandLine(cmd).parseArgs(argv.subList(at + 1, argv.size()).toArray(new String[0]));
        assertTrue(cmd.mode.watch);
        assertEquals(Path.of("/var/lib/pr-cybr/swarm"), cmd.stateDir);
        assertTrue(Files.readString(unit).contains("SWARM_JOIN_TOKEN_FILE=%d/swarm-join-token"));
    }
}
