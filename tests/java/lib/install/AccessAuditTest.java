package lib.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access rows over a root written the way the installer writes it, then loosened one path at a time. */
class AccessAuditTest {
    @TempDir
    Path dir;

    TargetRoot root;
    int self;

    @BeforeEach
    void installedTree() {
        root = new TargetRoot(dir);
        self = SudoReexec.effectiveUid();
        root.mkdirs("/etc/pr-cybr", 0755);
        root.mkdirs("/etc/pr-cybr/secrets", 0700);
        root.write("/etc/pr-cybr/secrets/api-token", "tok\n".getBytes(StandardCharsets.UTF_8), 0600);
        root.write(
                "/etc/pr-cybr/telemetry.env",
                "API_TOKEN_FILE=/etc/pr-cybr/secrets/api-token\n".getBytes(StandardCharsets.UTF_8),
                0644);
        root.mkdirs("/var/lib/pr-cybr", 0755);
        root.write(InstallState.PATH, "{}".getBytes(StandardCharsets.UTF_8), 0600);
        root.mkdirs("/var/lib/pr-cybr/telemetry", 0700);
        root.mkdirs("/var/log/pr-cybr", 0750);
    }

    Map<String, VerificationTable.Row> audit() {
        VerificationTable t = new VerificationTable();
        new AccessAudit(root, self).run(t);
        Map<String, VerificationTable.Row> out = new TreeMap<>();
        t.rows().forEach(r -> out.put(r.name(), r));
        assertEquals(3, out.size(), t.render());
        return out;
    }

    @Test
    void whatTheInstallerWritesPasses() {
        Map<String, VerificationTable.Row> rows = audit();
        rows.values().forEach(r -> assertEquals(VerificationTable.Result.OK, r.result(), r.toString()));
        assertTrue(
                rows.get("secrets").detail().startsWith("2 paths owned by root"),
                rows.get("secrets").detail());
        assertTrue(
                rows.get("state-dirs").detail().startsWith("4 paths owned by root"),
                rows.get("state-dirs").detail());
    }

    @Test
    void aReadableSecretOrSecretsDirFailsNamingPathAndMode() {
        root.chmod("/etc/pr-cybr/secrets/api-token", 0640);
        root.chmod("/etc/pr-cybr/secrets", 0755);
        VerificationTable.Row r = audit().get("secrets");
        assertEquals(VerificationTable.Result.FAIL, r.result());
        assertEquals(
                root.show("/etc/pr-cybr/secrets") + ": mode 0755 (no access for group or others (0700 / 0600)); "
                        + root.show("/etc/pr-cybr/secrets/api-token")
                        + ": mode 0640 (no access for group or others (0700 / 0600))",
                r.detail());
    }

    @Test
    void writableConfigAndStateFail() {
        root.chmod("/etc/pr-cybr/telemetry.env", 0666);
        root.chmod("/var/lib/pr-cybr/telemetry", 0755);
        root.chmod("/var/log/pr-cybr", 0755);
        Map<String, VerificationTable.Row> rows = audit();
        assertEquals(VerificationTable.Result.FAIL, rows.get("config-dir").result());
        assertEquals(
                root.show("/etc/pr-cybr/telemetry.env") + ": mode 0666 (not writable by group or others)",
                rows.get("config-dir").detail());
        assertEquals(VerificationTable.Result.FAIL, rows.get("state-dirs").result());
        assertEquals(
                root.show("/var/lib/pr-cybr/telemetry") + ": mode 0755 (no access for group or others (0700 / 0600)); "
                        + root.show("/var/log/pr-cybr")
                        + ": mode 0755 (no access for others, read-only for the group (0750))",
                rows.get("state-dirs").detail());
    }

    @Test
    void aSymlinkInTheSecretsDirFails() throws IOException {
        Files.createSymbolicLink(root.resolve("/etc/pr-cybr/secrets/join-token"), Path.of("/tmp/elsewhere"));
        VerificationTable.Row r = audit().get("secrets");
        assertEquals(VerificationTable.Result.FAIL, r.result());
        assertEquals(
                root.show("/etc/pr-cybr/secrets/join-token")
                        + " is a symbolic link (to /tmp/elsewhere): keep the file itself here",
                r.detail());
    }

    @Test
    void anotherOwnerFails() throws IOException {
        Assumptions.assumeTrue(self == 0, "only root can give a file away");
        Files.setAttribute(root.resolve("/etc/pr-cybr/codex.yaml").getParent(), "unix:uid", 0);
        root.write("/etc/pr-cybr/codex.yaml", "metadata: {}\n".getBytes(StandardCharsets.UTF_8), 0644);
        Files.setAttribute(root.resolve("/etc/pr-cybr/codex.yaml"), "unix:uid", 1000);
        VerificationTable.Row r = audit().get("config-dir");
        assertEquals(VerificationTable.Result.FAIL, r.result());
        assertEquals(root.show("/etc/pr-cybr/codex.yaml") + ": owner uid 1000 (must be root)", r.detail());
    }

    @Test
    void nothingInstalledIsSkipped(@TempDir Path empty) {
        root = new TargetRoot(empty);
        audit().values().forEach(r -> assertEquals(VerificationTable.Result.SKIP, r.result(), r.toString()));
    }
}
