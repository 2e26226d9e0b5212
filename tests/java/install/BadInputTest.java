package install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ChildJvm;
import support.Project;

/**
 * Bad input, as an operator meets it (a fresh JVM): one line on stderr naming the file, field or flag and
 * what was expected, exit 2, no stack trace, and nothing written under --root.
 */
class BadInputTest {
    @TempDir
    Path dir;

    Path root;
    Snapshot before;
    final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(dir.resolve("root/etc"));
        root = root.getParent();
        Files.copy(Project.basedir().resolve("tests/resources/os-release/debian-12"), root.resolve("etc/os-release"));
        env.put("DOCKER_HOST", "unix://" + dir.resolve("no-docker.sock"));
        for (String k : List.of(
                "MGMT_NODE_URL",
                "API_TOKEN",
                "API_TOKEN_FILE",
                "ZEROTIER_NETWORK_ID",
                "TAILSCALE_AUTH_KEY",
                "TAILSCALE_AUTH_KEY_FILE")) env.put(k, null);
        before = Snapshot.of(root);
    }

    ChildJvm.Result install(String... args) {
        return ChildJvm.runMain("install", env, dir, args);
    }

    void assertOneLineExit2NothingWritten(ChildJvm.Result r, String expected) {
        assertEquals(2, r.exit(), r.stderr());
        assertEquals(List.of("error: " + expected), r.stderrLines(), r.stderr());
        assertEquals("", r.stdout());
        assertEquals(before, Snapshot.of(root), "something was written:\n" + before.diff(Snapshot.of(root)));
    }

    @Test
    void aMissingTokenFile() {
        env.put("API_TOKEN_FILE", dir.resolve("absent-token").toString());
        assertOneLineExit2NothingWritten(
                install("--root", root.toString()),
                dir.resolve("absent-token") + ": secret file not found (given by API_TOKEN_FILE)");
    }

    @Test
    void aWorldReadableTokenFileIsRefusedWithItsMode() throws IOException {
        Path token = Files.writeString(dir.resolve("api-token"), "world-readable-api-token\n");
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        env.put("API_TOKEN_FILE", token.toString());
        ChildJvm.Result r = install("--root", root.toString());
        assertEquals(2, r.exit(), r.stderr());
        assertEquals(1, r.stderrLines().size(), r.stderr());
        assertTrue(r.stderr().startsWith("error: " + token + ": secret file has mode 0644 and owner uid "), r.stderr());
        assertTrue(r.stderr().strip().endsWith("chmod 600 " + token), r.stderr());
        assertFalse(r.stderr().contains("world-readable-api-token"));
        assertEquals(before, Snapshot.of(root), "nothing written");
    }

    @Test
    void verifyChangesNothingSoItTakesNoChangingFlag() {
        for (String flag : List.of("--uninstall", "--dry-run", "--detect")) {
            assertOneLineExit2NothingWritten(
                    install("--root", root.toString(), "--verify", flag),
                    "--verify changes nothing: it does not go with --uninstall, --dry-run or --detect");
        }
    }

    @Test
    void aConfigThatCannotBeRead() throws IOException {
        Path cfg = Files.createDirectories(dir.resolve("codex.yaml"));
        ChildJvm.Result r = install("--root", root.toString(), "--config", cfg.toString());
        assertEquals(2, r.exit(), r.stderr());
        assertEquals(1, r.stderrLines().size(), r.stderr());
        assertTrue(r.stderr().startsWith("error: " + cfg + ": cannot read config file"), r.stderr());
        assertEquals(before, Snapshot.of(root));
    }

    @Test
    void aConfigWithAWrongValue() throws IOException {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, "install:\n  docker:\n    source: snap\n");
        assertOneLineExit2NothingWritten(
                install("--root", root.toString(), "--config", cfg.toString()),
                cfg + ":3:5: install.docker.source: expected one of [\"distro\", \"docker-ce\"], got \"snap\"");
    }

    /**
     * The three files a new user got through before (issue 16), with --dry-run and without: a second YAML
     * document, a zero telemetry interval (it would have installed a timer firing all the time), a number
     * out of range. Each is one line naming the file, line, column and key, exit 2, nothing written.
     */
    @Test
    void theFilesThatUsedToBeAcceptedAreRefusedWithTheKeyAndLine() throws IOException {
        Map<String, String> files = Map.of(
                "metadata:\n  name: a\n---\nmetadata:\n  name: b\n",
                ":3:1: a second YAML document starts here (with metadata), which would be ignored: a config file is one document; merge it into the first or remove it",
                "capabilities:\n  telemetry:\n    interval: 0s\n",
                ":3:5: capabilities.telemetry.interval: expected a duration above zero, such as 500ms, 60s, 5m, 1h or 7d, at most 365d, got \"0s\"",
                "resources:\n  minimum:\n    cpu_cores: 99999999999999999999999999\n",
                ":3:5: resources.minimum.cpu_cores: expected at most 8192, got 99999999999999999999999999 (out of range)",
                "managment:\n  api_endpoint: https://mgmt.example\n",
                ":1:1: managment: unknown field; did you mean 'management'?");
        Path cfg = dir.resolve("bad.yaml");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(cfg, f.getKey());
            assertOneLineExit2NothingWritten(
                    install("--root", root.toString(), "--dry-run", "--config", cfg.toString()), cfg + f.getValue());
            assertOneLineExit2NothingWritten(
                    install("--root", root.toString(), "--yes", "--config", cfg.toString()), cfg + f.getValue());
        }
    }

    @Test
    void aZeroTelemetryIntervalFromTheEnvironmentNamesTheVariable() {
        env.put("TELEMETRY_INTERVAL", "0s");
        assertOneLineExit2NothingWritten(
                install("--root", root.toString(), "--dry-run"),
                "TELEMETRY_INTERVAL (environment variable, overrides capabilities.telemetry.interval): expected a duration above zero, such as 500ms, 60s, 5m, 1h or 7d, got '0s'");
    }

    @Test
    void anUnsupportedArchitecture() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("uname"), "#!/bin/sh\necho riscv64\n");
        Files.setPosixFilePermissions(bin.resolve("uname"), PosixFilePermissions.fromString("rwxr-xr-x"));
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        assertOneLineExit2NothingWritten(
                install("--root", root.toString()),
                "unsupported architecture 'riscv64': PR-CYBR-N0D3 supports amd64 (x86_64), arm64 (aarch64) and armv7 (armv7l)");
    }

    @Test
    void anInvalidDaemonJsonIsRefusedAndNeverOverwritten() throws IOException {
        Files.createDirectories(root.resolve("etc/docker"));
        Files.writeString(
                root.resolve("etc/docker/daemon.json"),
                "{\n  \"debug\": true,\n  \"log-driver\": \"journald\"\n  \"mtu\": 1400\n}\n");
        before = Snapshot.of(root);
        ChildJvm.Result r = install("--root", root.toString());
        assertEquals(2, r.exit(), r.stderr());
        assertEquals(1, r.stderrLines().size(), r.stderr());
        assertTrue(
                r.stderr()
                        .startsWith("error: " + root
                                + "/etc/docker/daemon.json:4:3: not valid JSON (Unexpected character ('\"'"),
                r.stderr());
        assertTrue(
                r.stderr().strip().endsWith("refusing to change it: fix it or move it aside, then run again"),
                r.stderr());
        assertEquals(before, Snapshot.of(root));
    }

    @Test
    void badFlags() {
        assertOneLineExit2NothingWritten(
                install("--root", root.toString(), "--purge"),
                "--purge, --remove-docker and --leave-swarm go with --uninstall");
        assertOneLineExit2NothingWritten(
                install("--root", root.toString(), "--force-distro", "arch"),
                "--force-distro: expected debian, fedora or alpine, got 'arch'");
    }

    @Test
    void withoutDockerAnAlternateRootIsRefusedWithExit3AndNothingWritten() {
        ChildJvm.Result r = install("--root", root.toString());
        assertEquals(3, r.exit(), r.stderr());
        List<String> lines = r.stderrLines();
        assertTrue(
                lines.get(lines.size() - 1)
                        .startsWith("error: Docker does not answer at unix://" + dir.resolve("no-docker.sock")),
                r.stderr());
        assertEquals(
                List.of("==> [1/9] Preflight checks: unchanged"),
                lines.subList(0, lines.size() - 1),
                "progress, then the one error line");
        assertFalse(r.stderr().contains("\tat "), "no stack trace");
        assertEquals(before, Snapshot.of(root));
    }
}
