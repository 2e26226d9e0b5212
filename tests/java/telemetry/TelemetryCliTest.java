package telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import lib.telemetry.RunLock;
import lib.telemetry.Spool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryCliTest {
    static final Map<String, String> NO_DOCKER = Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock");

    @TempDir
    Path work;

    @Test
    void theReadmeMainJobPrintsOneValidJsonSampleOnStdout() throws Exception {
        Cli.Result r = Cli.run(
                work,
                NO_DOCKER,
                "--once",
                "--output",
                "-",
                "--state-dir",
                work.resolve("state").toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(1, r.stdout().size(), "exactly one line: " + r.stdout());
        JsonNode p = PayloadSchema.parse(r.stdout().get(0));
        PayloadSchema.assertValid(p);
        assertFalse(r.stderr().contains("Exception"), r.stderr());
        assertTrue(Files.isRegularFile(work.resolve("state/state.json")), "CPU ticks kept for the next run");
    }

    /** The jna/ folder an earlier version copied JNA's native library into is removed; the rest of the state dir is kept. */
    @Test
    void aRunRemovesWhatEarlierVersionsLeftInTheStateDir() throws Exception {
        Path state = work.resolve("state");
        Path lib = Files.createDirectories(state.resolve("jna/linux-x86-64-1a2b3c4d"))
                .resolve("libjnidispatch.so");
        Files.write(lib, new byte[] {0x7f, 'E', 'L', 'F'});
        Path outside = Files.writeString(work.resolve("keep.txt"), "not ours");
        Files.createSymbolicLink(state.resolve("jna/linux-x86-64-1a2b3c4d/link"), outside);
        Cli.Result first = Cli.run(work, NO_DOCKER, "--once", "--output", "-", "--state-dir", state.toString());
        assertEquals(0, first.exit(), first.stderr());
        assertFalse(Files.exists(state.resolve("jna"), java.nio.file.LinkOption.NOFOLLOW_LINKS), "jna/ removed");
        assertEquals("not ours", Files.readString(outside), "a link inside was removed, not followed");
        assertTrue(Files.isRegularFile(state.resolve("state.json")));
        Cli.Result again = Cli.run(work, NO_DOCKER, "--once", "--output", "-", "--state-dir", state.toString());
        assertEquals(0, again.exit(), again.stderr());
        assertTrue(Files.isRegularFile(state.resolve("state.json")), "and a run without it changes nothing else");
    }

    @Test
    void withoutAnyConfigurationStdoutIsTheDefaultSink() throws Exception {
        Cli.Result r =
                Cli.run(work, NO_DOCKER, "--state-dir", work.resolve("state").toString());
        assertEquals(0, r.exit(), r.stderr());
        PayloadSchema.assertValid(PayloadSchema.parse(r.stdout().get(0)));
    }

    @Test
    void aSecondRunWhileTheLockIsHeldExitsZeroWithAMessage() throws Exception {
        Path state = work.resolve("state");
        Files.createDirectories(state);
        try (MgmtReceiver mgmt = new MgmtReceiver();
                RunLock held = RunLock.tryAcquire(state)) {
            assertTrue(held != null);
            Map<String, String> env = Map.of(
                    "DOCKER_HOST",
                    "unix:///nonexistent/docker.sock",
                    "MGMT_NODE_URL",
                    mgmt.url(),
                    "API_TOKEN",
                    "abcdefgh");
            Cli.Result r = Cli.run(work, env, "--once", "--state-dir", state.toString());
            assertEquals(0, r.exit(), r.stderr());
            assertTrue(
                    r.stderr()
                            .contains("another telemetry run (pid "
                                    + ProcessHandle.current().pid() + ") holds"),
                    r.stderr());
            assertEquals(0, mgmt.hits.get(), "it did nothing");
            assertEquals(0, Spool.open(state, 1 << 20, Duration.ofDays(7)).size());

            Cli.Result printOnly = Cli.run(work, env, "--once", "--output", "-", "--state-dir", state.toString());
            assertEquals(0, printOnly.exit(), printOnly.stderr());
            PayloadSchema.assertValid(PayloadSchema.parse(printOnly.stdout().get(0)));
            assertTrue(printOnly.stderr().contains("sampling without updating its state"), printOnly.stderr());
        }
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        String state = work.resolve("state").toString();
        assertUsage(
                Cli.run(work, NO_DOCKER, "--output", "bogus", "--state-dir", state),
                "--output: expected -, mgmt or textfile, got 'bogus'");
        assertUsage(
                Cli.run(work, NO_DOCKER, "--output", "mgmt", "--state-dir", state),
                "--output mgmt: no management node configured");
        assertUsage(
                Cli.run(work, NO_DOCKER, "--daemon", "--interval", "5x", "--state-dir", state),
                "--interval (flag, overrides capabilities.telemetry.interval): expected a duration such as 500ms, 60s, 5m, 1h or 7d, got '5x'");
        assertUsage(
                Cli.run(work, NO_DOCKER, "--daemon", "--interval", "0s", "--state-dir", state),
                "--interval (flag, overrides capabilities.telemetry.interval): expected a duration above zero");
        assertUsage(
                Cli.run(work, NO_DOCKER, "--interval", "5s", "--state-dir", state),
                "--interval only applies with --daemon");
        assertUsage(Cli.run(work, NO_DOCKER, "--once", "--daemon"), "mutually exclusive");
        assertUsage(
                Cli.run(work, NO_DOCKER, "--docker-stats", "proc", "--state-dir", state),
                "--docker-stats: expected cgroup or api, got 'proc'");
        Cli.Result badEnv = Cli.run(work, Map.of("MGMT_NODE_URL", "ftp://x"), "--state-dir", state);
        assertUsage(badEnv, "MGMT_NODE_URL: expected an http(s) URL");
    }

    /**
     * capabilities.telemetry.interval: 0s in codex.yaml is refused naming the file, line and key (never
     * --interval, which the operator did not type), on the cached path too: a valid file's cache entry in
     * the state dir does not serve the changed file.
     */
    @Test
    void aZeroIntervalInTheFileIsRefusedNamingTheFileLineAndKey() throws Exception {
        String state = work.resolve("state").toString();
        Path codex = work.resolve("node.yaml");
        Files.writeString(codex, "capabilities:\n  telemetry:\n    interval: 30s\n");
        Cli.Result ok =
                Cli.run(work, NO_DOCKER, "--once", "--output", "-", "--state-dir", state, "-c", codex.toString());
        assertEquals(0, ok.exit(), ok.stderr());
        assertTrue(Files.isRegularFile(work.resolve("state/codex.validated")), "the valid file was cached");
        Files.writeString(codex, "capabilities:\n  telemetry:\n    interval: 0s\n");
        for (String mode : new String[] {"--once", "--daemon"}) {
            Cli.Result r = Cli.run(work, NO_DOCKER, mode, "--state-dir", state, "-c", codex.toString());
            assertUsage(r, codex + ":3:5: capabilities.telemetry.interval: expected a duration above zero");
            assertFalse(r.stderr().contains("--interval"), r.stderr());
        }
    }

    static void assertUsage(Cli.Result r, String expected) {
        assertEquals(2, r.exit(), r.stderr());
        assertTrue(r.stderr().contains(expected), "expected '" + expected + "' in: " + r.stderr());
        assertFalse(r.stderr().contains("\tat "), "no stack trace: " + r.stderr());
        assertTrue(r.stdout().isEmpty());
    }
}
