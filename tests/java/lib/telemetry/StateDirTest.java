package lib.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state dir and the spool on disk: the owner's only (0700), created so or narrowed when they are telemetry's. */
class StateDirTest {
    @TempDir
    Path tmp;

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    static Path dir(Path p, String mode) throws IOException {
        Files.createDirectories(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void aNewStateDirAndItsSpoolAre0700AndMissingParentsAreMade() throws IOException {
        Path state = tmp.resolve("var/lib/pr-cybr/telemetry");
        StateDir.create(state);
        assertEquals("rwx------", mode(state));
        Spool.open(state, 1 << 20, Duration.ofDays(1));
        assertEquals("rwx------", mode(state.resolve(Spool.DIR)));
        // what a run does: the lock, the state, a sample in the spool; the dir keeps its mode
        java.util.Map<String, String> env = java.util.Map.of("DOCKER_HOST", "unix://" + tmp.resolve("none.sock"));
        lib.config.Settings s = lib.config.Settings.fromText("codex.yaml", "capabilities:\n  telemetry: {}\n", env);
        TelemetryConfig cfg = TelemetryConfig.resolve(s, java.util.List.of("-"), state, null, null, null, false);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        lib.cli.Log.redirect(
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, new TelemetryAgent(cfg, "node-t", env, null, false).once(false));
        } finally {
            lib.cli.Log.reset();
        }
        assertEquals("rwx------", mode(state));
        assertEquals(true, Files.exists(state.resolve(TelemetryState.FILE)));
    }

    @Test
    void anExistingStateDirOfAnEarlierRunIsNarrowed() throws IOException {
        Path state = dir(tmp.resolve("state"), "rwxr-xr-x");
        Files.writeString(state.resolve(RunLock.FILE), "1\n");
        Path spool = dir(state.resolve(Spool.DIR), "rwxr-xr-x");
        StateDir.create(state);
        assertEquals("rwx------", mode(state));
        Spool.open(state, 1 << 20, Duration.ofDays(1));
        assertEquals("rwx------", mode(spool));
    }

    @Test
    void anyOtherExistingDirKeepsItsMode() throws IOException {
        Path shared = dir(tmp.resolve("shared"), "rwxr-xr-x");
        Files.writeString(shared.resolve("notes.txt"), "not telemetry's");
        StateDir.create(shared);
        assertEquals("rwxr-xr-x", mode(shared));
    }

    @Test
    void aFileInTheWayIsStillAnError() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> StateDir.create(file));
        assertEquals("rw-", mode(file).substring(0, 3));
    }
}
