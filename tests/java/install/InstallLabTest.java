package install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lab.Lab;
import lab.LabTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ChildJvm;
import support.Project;

/**
 * install.java for real, as an operator runs it (a fresh JVM, real exit codes and output), into a scratch
 * --root, with the Docker of a lab node (DOCKER_HOST): converge, re-run (every phase unchanged, nothing
 * rewritten), then --uninstall --purge leaves the root byte for byte and mode for mode as it was.
 */
@LabTest(nodes = 1, id = 120)
class InstallLabTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Map<String, String> env(Lab lab) {
        Map<String, String> e = new HashMap<>();
        e.put("DOCKER_HOST", lab.node(1).dockerHost());
        for (String k : List.of(
                "MGMT_NODE_URL",
                "API_TOKEN",
                "API_TOKEN_FILE",
                "SWARM_MANAGER_IP",
                "SWARM_JOIN_TOKEN",
                "SWARM_JOIN_TOKEN_FILE",
                "ZEROTIER_NETWORK_ID",
                "ZEROTIER_API_TOKEN",
                "TAILSCALE_AUTH_KEY",
                "TAILSCALE_AUTH_KEY_FILE",
                "NODE_NAME")) e.put(k, null);
        return e;
    }

    ChildJvm.Result install(Lab lab, String... args) {
        java.util.List<String> all = new java.util.ArrayList<>(List.of(args));
        if (!all.contains("--uninstall")) all.addAll(List.of("--jar", jar().toString()));
        return ChildJvm.runMain("install", env(lab), dir, all.toArray(String[]::new));
    }

    Path jar() {
        return StandInJar.in(dir);
    }

    Path root() throws IOException {
        Path r = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(r.resolve("etc"));
        Files.copy(Project.basedir().resolve("tests/resources/os-release/debian-12"), r.resolve("etc/os-release"));
        return r;
    }

    static JsonNode json(ChildJvm.Result r) throws IOException {
        return JSON.readTree(r.stdout());
    }

    @Test
    void convergeThenReRunUnchangedThenUninstallPurgeLeavesTheRootAsItWas(Lab lab) throws IOException {
        Path root = root();
        Snapshot before = Snapshot.of(root);

        ChildJvm.Result first = install(lab, "--root", root.toString(), "--json");
        assertEquals(0, first.exit(), first.stderr());
        JsonNode j = json(first);
        assertEquals("unchanged", phase(j, "docker").path("status").asText(), first.stdout());
        assertTrue(
                phase(j, "docker")
                        .path("notes")
                        .get(0)
                        .asText()
                        .matches("Docker 20\\.10\\.[0-9]+\\S* \\(Engine API 1\\.41\\) answers at "
                                + lab.node(1).dockerHost() + ": kept"),
                phase(j, "docker").toString());
        assertEquals("changed", phase(j, "system").path("status").asText());
        assertEquals(
                "ok",
                j.path("verification").get(0).path("result").asText(),
                j.path("verification").toString());
        assertEquals(
                "telemetry-sample", j.path("verification").get(2).path("name").asText());
        assertEquals(
                "ok",
                j.path("verification").get(2).path("result").asText(),
                j.path("verification").toString());
        assertEquals(
                "net.ipv4.ip_forward = 1",
                Files.readAllLines(root.resolve("etc/sysctl.d/60-pr-cybr.conf")).get(2));
        assertEquals(
                "10m",
                JSON.readTree(root.resolve("etc/docker/daemon.json").toFile())
                        .at("/log-opts/max-size")
                        .asText());
        assertEquals(
                "rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/pr-cybr/secrets"))));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(root.resolve("var/lib/pr-cybr/install-state.json"))));
        assertEquals(-1, Files.mismatch(jar(), root.resolve("opt/pr-cybr/n0d3.jar")), "the jar the units run");
        assertEquals(
                "/etc/systemd/system/pr-cybr-telemetry.timer",
                Files.readSymbolicLink(root.resolve("etc/systemd/system/timers.target.wants/pr-cybr-telemetry.timer"))
                        .toString());
        assertTrue(Files.readString(root.resolve("etc/systemd/system/pr-cybr-telemetry.timer"))
                .contains("\nOnUnitActiveSec=1m\n"));
        assertTrue(
                Files.readString(root.resolve("etc/pr-cybr/telemetry.env")).contains("\nNODE_ID=node-"),
                "telemetry.env names the node id");
        Snapshot converged = Snapshot.of(root);

        ChildJvm.Result again = install(lab, "--root", root.toString(), "--json");
        assertEquals(0, again.exit(), again.stderr());
        for (JsonNode p : json(again).path("phases")) {
            assertTrue(List.of("unchanged", "skipped").contains(p.path("status").asText()), p.toString());
            assertEquals(0, p.path("actions").size(), p.toString());
        }
        assertEquals(converged, Snapshot.of(root), "a re-run rewrote something:\n" + converged.diff(Snapshot.of(root)));

        ChildJvm.Result text = install(lab, "--root", root.toString());
        assertEquals(0, text.exit(), text.stderr());
        assertTrue(text.stdout().contains("\nNothing changed: every phase is unchanged.\n"), text.stdout());

        ChildJvm.Result purge = install(lab, "--root", root.toString(), "--uninstall", "--purge");
        assertEquals(0, purge.exit(), purge.stderr());
        assertEquals(before, Snapshot.of(root), "not as before:\n" + before.diff(Snapshot.of(root)));
    }

    @Test
    void theOperatorsFilesComeBackExactlyAfterUninstallPurge(Lab lab) throws IOException {
        Path root = root();
        String daemon = "{\n    \"data-root\": \"/srv/docker\",\n    \"log-opts\": {\"max-size\": \"50m\"}\n}\n";
        Files.createDirectories(root.resolve("etc/docker"));
        Files.writeString(root.resolve("etc/docker/daemon.json"), daemon);
        Files.setPosixFilePermissions(
                root.resolve("etc/docker/daemon.json"), PosixFilePermissions.fromString("rw-r-----"));
        Files.createDirectories(root.resolve("etc/pr-cybr"));
        Files.setPosixFilePermissions(root.resolve("etc/pr-cybr"), PosixFilePermissions.fromString("rwx------"));
        Files.writeString(root.resolve("etc/pr-cybr/codex.yaml"), "metadata:\n  node_name: edge-7\n");
        Snapshot before = Snapshot.of(root);

        ChildJvm.Result r = install(lab, "--root", root.toString());
        assertEquals(0, r.exit(), r.stderr());
        JsonNode merged = JSON.readTree(root.resolve("etc/docker/daemon.json").toFile());
        assertEquals("/srv/docker", merged.path("data-root").asText());
        assertEquals("50m", merged.at("/log-opts/max-size").asText(), "the operator's value stays");
        assertEquals("3", merged.at("/log-opts/max-file").asText());
        assertEquals(
                "rw-r-----",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/docker/daemon.json"))));
        assertEquals(
                "rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/pr-cybr"))));
        try (var backups = Files.list(root.resolve("var/lib/pr-cybr/backup/etc/docker"))) {
            Path b = backups.findFirst().orElseThrow();
            assertEquals(daemon, Files.readString(b), "the backup is the original");
        }

        ChildJvm.Result u = install(lab, "--root", root.toString(), "--uninstall", "--purge");
        assertEquals(0, u.exit(), u.stderr());
        assertEquals(before, Snapshot.of(root), "not as before:\n" + before.diff(Snapshot.of(root)));
    }

    @Test
    void uninstallWithoutPurgeKeepsTheDirectoriesAndTheirContent(Lab lab) throws IOException {
        Path root = root();
        assertEquals(0, install(lab, "--root", root.toString()).exit());
        Files.writeString(root.resolve("var/lib/pr-cybr/telemetry-spool.jsonl"), "{}\n");
        ChildJvm.Result u = install(lab, "--root", root.toString(), "--uninstall");
        assertEquals(0, u.exit(), u.stderr());
        assertFalse(Files.exists(root.resolve("etc/sysctl.d")), "the drop-in and the folder it needed are gone");
        assertFalse(Files.exists(root.resolve("etc/docker")));
        assertTrue(Files.exists(root.resolve("var/lib/pr-cybr/telemetry-spool.jsonl")));
        assertTrue(Files.isDirectory(root.resolve("etc/pr-cybr/secrets")));
        assertTrue(u.stdout().contains("directories    changed"), u.stdout());
        ChildJvm.Result purge = install(lab, "--root", root.toString(), "--uninstall", "--purge");
        assertEquals(0, purge.exit(), purge.stderr());
        assertEquals(List.of("etc"), list(root));
    }

    static JsonNode phase(JsonNode plan, String id) {
        for (JsonNode p : plan.path("phases")) if (p.path("id").asText().equals(id)) return p;
        throw new AssertionError("no phase " + id + " in " + plan);
    }

    static List<String> list(Path d) throws IOException {
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
