package install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import lib.install.FileChange;
import lib.install.InstallOptions;
import lib.install.TargetRoot;
import lib.overlay.OverlaySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --dry-run prints the exact plan: commands as they will run, files as unified diffs, and writes nothing. */
class PlanRenderingTest {
    @TempDir
    Path dir;

    @Test
    void aFreshDebianHostWithoutDockerPlansTheAptInstallAndEveryFile() throws Exception {
        TestHost h = new TestHost(dir);
        Files.createDirectories(h.live.resolve("run/systemd/system"));
        Snapshot before = Snapshot.of(h.root);
        Captured c = Captured.of(
                () -> h.run(InstallOptions.defaults().withDryRun(true)).run());
        assertEquals(0, c.code(), c.err());
        String plan = c.out();
        assertTrue(plan.startsWith("Plan for " + h.root + " (dry run: nothing is changed)\n"), plan);
        assertTrue(plan.contains("[2/9] Docker engine: planned, 4 actions\n"), plan);
        assertTrue(
                plan.contains("    run      apt-get update   # refresh the package lists\n"
                        + "    run      apt-get install -y docker.io   # the distro's Docker engine\n"
                        + "    service  systemctl enable --now docker   # start Docker now and at boot\n"),
                plan);
        assertTrue(
                plan.contains(
                        "    write    " + h.root + "/etc/sysctl.d/60-pr-cybr.conf (new, 0644)\n"
                                + "             --- /dev/null\n"
                                + "             +++ " + h.root + "/etc/sysctl.d/60-pr-cybr.conf\n"
                                + "             @@ -0,0 +1,3 @@\n"
                                + "             +# Written by PR-CYBR-N0D3 install.java; replaced on every install, removed by install.java --uninstall.\n"),
                plan);
        assertTrue(plan.contains("    mkdir    " + h.root + "/etc/pr-cybr/secrets (0700, owner root:root)\n"), plan);
        assertTrue(plan.contains("             +    \"max-size\": \"10m\",\n"), plan);
        assertTrue(plan.endsWith("4 of 9 phases would change (20 actions); nothing was changed.\n"), plan);
        assertEquals(before, Snapshot.of(h.root), "a dry run wrote something");
    }

    @Test
    void anExistingDaemonJsonShowsOnlyTheAddedLinesInItsDiff() throws Exception {
        TestHost h = new TestHost(dir);
        TestHost.write(h.root.resolve("etc/docker/daemon.json"), "{\n  \"data-root\": \"/srv/docker\"\n}\n");
        Captured c = Captured.of(
                () -> h.run(InstallOptions.defaults().withDryRun(true)).run());
        assertTrue(
                c.out()
                        .contains("    write    " + h.root
                                + "/etc/docker/daemon.json (changed, 0644, previous content backed up under /var/lib/pr-cybr/backup)\n"
                                + "             --- " + h.root + "/etc/docker/daemon.json\n"
                                + "             +++ " + h.root + "/etc/docker/daemon.json\n"
                                + "             @@ -1,3 +1,7 @@\n"
                                + "              {\n"
                                + "             -  \"data-root\": \"/srv/docker\"\n"
                                + "             +  \"data-root\": \"/srv/docker\",\n"
                                + "             +  \"log-opts\": {\n"),
                c.out());
    }

    @Test
    void aSecretFileNeverShowsItsContent() {
        TestHost h = new TestHost(dir);
        h.env.put("API_TOKEN", "s3cr3t-token-value-123");
        Captured c = Captured.of(
                () -> h.run(InstallOptions.defaults().withDryRun(true)).run());
        assertTrue(
                c.out()
                        .contains(
                                "/etc/pr-cybr/secrets/api-token (new, 0600)\n             (23 bytes of a secret; the content is not shown)\n"),
                c.out());
        assertTrue(!c.out().contains("s3cr3t") && !c.err().contains("s3cr3t"));
    }

    @Test
    void unifiedDiffOfAChangedLine() {
        assertEquals(
                "--- a\n+++ b\n@@ -1,3 +1,3 @@\n x\n-y\n+Y\n z",
                FileChange.unifiedDiff("a", "b", "x\ny\nz\n", "x\nY\nz\n"));
        assertEquals("", FileChange.unifiedDiff("a", "b", "same\n", "same\n"));
    }

    @Test
    void jsonPlanHasEveryPhaseWithItsActions() {
        TestHost h = new TestHost(dir);
        Captured c = Captured.of(() -> new lib.install.InstallRun(
                        h.settings(),
                        h.facts(),
                        new TargetRoot(h.root),
                        h.live,
                        InstallOptions.defaults().withDryRun(true),
                        null,
                        true,
                        true,
                        h.env,
                        OverlaySettings.none(),
                        h.clock,
                        null,
                        false)
                .run());
        var n = assertDoesNotThrowJson(c.out());
        assertEquals(9, n.get("phases").size());
        assertEquals("docker", n.get("phases").get(1).get("id").asText());
        assertEquals("planned", n.get("phases").get(1).get("status").asText());
        assertEquals(
                "apt-get update   # refresh the package lists",
                n.get("phases").get(1).get("actions").get(0).get("summary").asText());
        assertTrue(n.get("dry_run").asBoolean());
    }

    static com.fasterxml.jackson.databind.JsonNode assertDoesNotThrowJson(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
