package install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import lib.cli.ExitCode;
import lib.cli.N0d3Exception;
import lib.install.SudoReexec;
import lib.proc.ProcessRunner;
import org.junit.jupiter.api.Test;

/** Not root: the same JVM command line again through sudo, the installer's variables kept by name only. */
class SudoReexecTest {
    @Test
    void theCommandLineIsThisJvmsOwnWithTheVariablesPreservedByName() {
        Map<String, String> env = Map.of(
                "API_TOKEN",
                "tok-123456789",
                "MGMT_NODE_URL",
                "https://mgmt",
                "DOCKER_HOST",
                "unix:///x",
                "HOME",
                "/root");
        List<String> argv = SudoReexec.commandLine(env).orElseThrow();
        assertEquals("sudo", argv.get(0));
        assertTrue(argv.get(1).startsWith("--preserve-env="), argv.toString());
        List<String> kept =
                List.of(argv.get(1).substring("--preserve-env=".length()).split(","));
        assertTrue(kept.containsAll(List.of("API_TOKEN", "MGMT_NODE_URL", "DOCKER_HOST")), kept.toString());
        assertFalse(kept.contains("HOME"));
        assertEquals("--", argv.get(2));
        assertEquals(ProcessHandle.current().info().command().orElseThrow(), argv.get(3));
        assertEquals(List.of(ProcessHandle.current().info().arguments().orElseThrow()), argv.subList(4, argv.size()));
        assertFalse(String.join(" ", argv).contains("tok-123456789"), "a secret's value is never on the command line");
    }

    @Test
    void withoutSudoItSaysToRunAsRoot() {
        N0d3Exception e = assertThrows(
                N0d3Exception.class, () -> SudoReexec.run(new ProcessRunner(), Map.of("PATH", "/nonexistent")));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("install.java must run as root: run it as root (sudo is not installed here)", e.getMessage());
    }

    @Test
    void theEffectiveUidComesFromProcSelfStatus() {
        assertEquals(new com.sun.security.auth.module.UnixSystem().getUid(), SudoReexec.effectiveUid());
    }
}
