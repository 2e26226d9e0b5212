package lib.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSourceTest {
    @TempDir
    Path dir;

    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void capture() {
        Log.reset();
        Log.setColor(false);
        Log.redirect(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        Log.reset();
    }

    Path secretFile(String name, String content, String perms) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }

    @Test
    void orderIsFileFlagThenNameFileThenName() throws Exception {
        Path flag = secretFile("flag", "from-flag-value\n", "rw-------");
        Path envFile = secretFile("envfile", "  from-env-file-value  \n", "rw-------");
        Map<String, String> env = new HashMap<>(
                Map.of("SWARM_JOIN_TOKEN_FILE", envFile.toString(), "SWARM_JOIN_TOKEN", "from-env-value"));

        Secret s = SecretSource.resolve("SWARM_JOIN_TOKEN", flag, env).orElseThrow();
        assertEquals("from-flag-value", s.reveal());
        assertEquals("file " + flag, s.source());

        s = SecretSource.resolve("SWARM_JOIN_TOKEN", null, env).orElseThrow();
        assertEquals("from-env-file-value", s.reveal(), "trimmed");
        assertEquals("file " + envFile, s.source());

        env.remove("SWARM_JOIN_TOKEN_FILE");
        s = SecretSource.resolve("SWARM_JOIN_TOKEN", null, env).orElseThrow();
        assertEquals("from-env-value", s.reveal());
        assertEquals("environment SWARM_JOIN_TOKEN", s.source());

        env.put("SWARM_JOIN_TOKEN", "   ");
        assertEquals(Optional.empty(), SecretSource.resolve("SWARM_JOIN_TOKEN", null, env));
        assertEquals("", err.toString(StandardCharsets.UTF_8), "0600 files give no warning");
    }

    @Test
    void emptyFileIsExit2NamingTheFileAndItsOrigin() throws Exception {
        Path f = secretFile("empty", "\n  \n", "rw-------");
        N0d3Exception e = assertThrows(
                N0d3Exception.class,
                () -> SecretSource.resolve(
                        "API_TOKEN", null, Map.of("API_TOKEN_FILE", f.toString(), "API_TOKEN", "ignored-value")));
        assertEquals(2, e.exitCode());
        assertEquals(f + ": secret file is empty (given by API_TOKEN_FILE)", e.getMessage());
    }

    @Test
    void missingFileIsExit2NamingTheFileAndTheFlag() {
        Path f = dir.resolve("nope");
        N0d3Exception e =
                assertThrows(N0d3Exception.class, () -> SecretSource.resolve("SWARM_JOIN_TOKEN", f, Map.of()));
        assertEquals(2, e.exitCode());
        assertEquals(f + ": secret file not found (given by --swarm-join-token-file)", e.getMessage());
    }

    @Test
    void unreadableFileIsExit2() throws Exception {
        Path d = Files.createDirectory(dir.resolve("adir"));
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> SecretSource.fromFile(d, "API_TOKEN_FILE"));
        assertEquals(2, e.exitCode());
        assertTrue(
                e.getMessage().startsWith(d + ": cannot read secret file (given by API_TOKEN_FILE)"), e.getMessage());
    }

    @Test
    void fileReadableByOthersIsRefusedWithPathModeAndOwner() throws Exception {
        Path f = secretFile("world", "world-readable-secret", "rw-r--r--");
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> SecretSource.fromFile(f, "API_TOKEN_FILE"));
        assertEquals(2, e.exitCode());
        int uid = (Integer) Files.getAttribute(f, "unix:uid");
        assertTrue(
                e.getMessage()
                        .startsWith(f + ": secret file has mode 0644 and owner uid " + uid
                                + " (given by API_TOKEN_FILE); it must be 0600 or stricter"
                                + " (no access for group or others) and owned by root"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(": chmod 600 " + f), e.getMessage());
        assertFalse(e.getMessage().contains("world-readable-secret"));
    }

    @Test
    void groupAccessOfAnyKindIsRefused() throws Exception {
        for (String perms : new String[] {"rw-r-----", "rw--w----", "rw------x", "r-----r--"}) {
            Path f = secretFile("g-" + perms, "group-secret", perms);
            N0d3Exception e = assertThrows(
                    N0d3Exception.class,
                    () -> SecretSource.resolve("API_TOKEN", null, Map.of("API_TOKEN_FILE", f.toString())),
                    perms);
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().contains(": secret file has mode 0"), e.getMessage());
        }
        assertEquals(
                "shh",
                SecretSource.fromFile(secretFile("ro", "shh", "r--------"), "X_FILE")
                        .reveal(),
                "0400 is stricter than 0600: fine");
    }

    /** Root reading a token file another user owns: that user could swap the token under a root process. */
    @Test
    void aFileOwnedBySomeoneElseIsRefused() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                SecretSource.selfUid() == 0, "only root can give a file to another user");
        Path f = secretFile("other", "other-users-secret", "rw-------");
        Files.setAttribute(f, "unix:uid", 4242);
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> SecretSource.fromFile(f, "--token-file"));
        assertEquals(2, e.exitCode());
        assertEquals(
                f
                        + ": secret file has mode 0600 and owner uid 4242 (given by --token-file); it must be 0600 or stricter (no access for group or others)"
                        + " and owned by root: chown root:root " + f,
                e.getMessage());
    }

    @Test
    void selfUidIsTheProcesssOwnUid() throws Exception {
        Path f = Files.writeString(dir.resolve("mine"), "x");
        assertEquals((Integer) Files.getAttribute(f, "unix:uid"), SecretSource.selfUid(), "a file we create is ours");
    }

    @Test
    void loadedSecretsAreRedactedEverywhere() throws Exception {
        Path f = secretFile("tok", "zt-api-token-" + System.nanoTime(), "rw-------");
        Secret s = SecretSource.fromFile(f, "ZEROTIER_API_TOKEN_FILE");
        Log.warn("calling with " + s.reveal());
        assertEquals(
                "warning: calling with ***",
                err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void fromStream() {
        Secret s = SecretSource.fromStream(
                new ByteArrayInputStream("stdin-secret-1\n".getBytes(StandardCharsets.UTF_8)), "--token-stdin");
        assertEquals("stdin-secret-1", s.reveal());
        N0d3Exception e = assertThrows(
                N0d3Exception.class,
                () -> SecretSource.fromStream(new ByteArrayInputStream(new byte[0]), "--token-stdin"));
        assertEquals(2, e.exitCode());
        assertEquals("--token-stdin: no secret on standard input", e.getMessage());
    }
}
