package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import lib.cli.ExitCode;
import lib.cli.N0d3Exception;
import lib.secret.Redactor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCredentialsTest {
    @TempDir
    Path tmp;

    @Test
    void noneSetMeansNoLogin() {
        assertEquals(Optional.empty(), RegistryCredentials.resolve(null, null, Map.of()));
    }

    @Test
    void passwordFileFromTheEnvironmentWinsOverThePlainVariable() throws IOException {
        Path f = Files.writeString(tmp.resolve("pw"), "from-the-file-pw\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        RegistryCredentials c = RegistryCredentials.resolve(
                        null,
                        null,
                        Map.of(
                                "REGISTRY_USERNAME",
                                " bot ",
                                "REGISTRY_PASSWORD_FILE",
                                f.toString(),
                                "REGISTRY_PASSWORD",
                                "from-the-env-pw"))
                .orElseThrow();
        assertEquals("bot", c.username());
        assertEquals("from-the-file-pw", c.password().reveal());
        assertFalse(c.toString().contains("from-the-file-pw"));
        assertEquals("saw ***", Redactor.redact("saw from-the-file-pw"));
    }

    @Test
    void flagsWinOverTheEnvironment() throws IOException {
        Path f = Files.writeString(tmp.resolve("pw"), "flag-file-password");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        RegistryCredentials c = RegistryCredentials.resolve(
                        "alice", f, Map.of("REGISTRY_USERNAME", "bob", "REGISTRY_PASSWORD", "env-password"))
                .orElseThrow();
        assertEquals("alice", c.username());
        assertEquals("flag-file-password", c.password().reveal());
    }

    @Test
    void halfOfThePairIsAUsageError() {
        N0d3Exception e = assertThrows(
                N0d3Exception.class,
                () -> RegistryCredentials.resolve(null, null, Map.of("REGISTRY_PASSWORD", "lonely-password")));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("no user name"), e.getMessage());
        assertFalse(e.getMessage().contains("lonely-password"));
        e = assertThrows(
                N0d3Exception.class, () -> RegistryCredentials.resolve(null, null, Map.of("REGISTRY_USERNAME", "bob")));
        assertTrue(
                e.getMessage().startsWith("REGISTRY_USERNAME / --registry-username is set but no password"),
                e.getMessage());
        e = assertThrows(
                N0d3Exception.class,
                () -> RegistryCredentials.resolve(
                        null,
                        null,
                        Map.of(
                                "REGISTRY_USERNAME",
                                "bob",
                                "REGISTRY_PASSWORD_FILE",
                                tmp.resolve("missing").toString())));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("secret file not found (given by REGISTRY_PASSWORD_FILE)"), e.getMessage());
    }
}
