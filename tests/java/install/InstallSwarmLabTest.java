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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lab.Lab;
import lab.LabNode;
import lab.LabTest;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.Project;

/**
 * The whole install on a lab node: node 1 is a swarm manager (test set-up), install.java runs inside node 2's
 * network namespace with node 2's dockerd and a scratch --root, joins the swarm through lib/swarm, installs
 * the telemetry units, and the verification table is all green. A re-run changes nothing; --uninstall --purge
 * --leave-swarm takes the node out and leaves the root as it was.
 */
@LabTest(nodes = 2, id = 123)
class InstallSwarmLabTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    ProcessResult install(LabNode node, Path tokenFile, String managerIp, String... args) {
        List<String> argv = new ArrayList<>(
                List.of("java", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", classPath(), "install"));
        argv.addAll(List.of(args));
        Command c = node.command(argv)
                .timeout(Duration.ofSeconds(180))
                .dir(dir)
                .env("NO_COLOR", "1")
                .env("SWARM_MANAGER_IP", managerIp)
                .env("SWARM_JOIN_TOKEN_FILE", tokenFile.toString());
        return new ProcessRunner().runAnyExit(c);
    }

    @Test
    void installJoinsTheSwarmInstallsTheUnitsAndVerifiesAllGreen(Lab lab) throws IOException {
        LabNode manager = lab.node(1);
        LabNode node = lab.node(2);
        manager.docker().swarmInit("0.0.0.0:2377", manager.ip());
        String token = manager.docker()
                .swarmInspect()
                .path("JoinTokens")
                .path("Worker")
                .asText();
        Path tokenFile = dir.resolve("join-token");
        Files.writeString(tokenFile, token + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        Path root = Files.createDirectories(dir.resolve("root/etc")).getParent();
        Files.copy(Project.basedir().resolve("tests/resources/os-release/debian-12"), root.resolve("etc/os-release"));
        Snapshot before = Snapshot.of(root);
        String jar = StandInJar.in(dir).toString();

        ProcessResult first = install(node, tokenFile, manager.ip(), "--root", root.toString(), "--jar", jar, "--json");
        assertEquals(0, first.exitCode(), first.stderr());
        JsonNode j = JSON.readTree(first.stdout());
        assertEquals(
                "changed",
                phase(j, "swarm").path("status").asText(),
                phase(j, "swarm").toString());
        for (JsonNode row : j.path("verification"))
            assertEquals(
                    "ok", row.path("result").asText(), j.path("verification").toString());
        assertEquals(3, j.path("verification").size());
        JsonNode swarm = node.docker().info().path("Swarm");
        assertEquals("active", swarm.path("LocalNodeState").asText(), swarm.toString());
        assertEquals(node.ip(), swarm.path("NodeAddr").asText(), "advertises the node's own address");
        assertFalse(
                first.stdout().contains(token.substring(token.lastIndexOf('-') + 1))
                        || first.stderr().contains(token.substring(token.lastIndexOf('-') + 1)),
                "the join token's secret part never shows");
        assertTrue(
                JSON.readTree(root.resolve("var/lib/pr-cybr/install-state.json").toFile())
                        .path("swarm")
                        .path("joined_by_install")
                        .asBoolean());

        ProcessResult again = install(node, tokenFile, manager.ip(), "--root", root.toString(), "--jar", jar, "--json");
        assertEquals(0, again.exitCode(), again.stderr());
        JsonNode k = JSON.readTree(again.stdout());
        for (JsonNode p : k.path("phases"))
            assertTrue(List.of("unchanged", "skipped").contains(p.path("status").asText()), p.toString());
        assertTrue(
                phase(k, "swarm")
                        .path("notes")
                        .get(0)
                        .asText()
                        .startsWith("no change: this node is already an active worker"),
                phase(k, "swarm").toString());

        ProcessResult out = install(
                node, tokenFile, manager.ip(), "--root", root.toString(), "--uninstall", "--purge", "--leave-swarm");
        assertEquals(0, out.exitCode(), out.stderr());
        assertEquals(
                "inactive",
                node.docker().info().path("Swarm").path("LocalNodeState").asText());
        assertEquals(before, Snapshot.of(root), before.diff(Snapshot.of(root)));
    }

    static JsonNode phase(JsonNode plan, String id) {
        for (JsonNode p : plan.path("phases")) if (p.path("id").asText().equals(id)) return p;
        throw new AssertionError("no phase " + id + " in " + plan);
    }
}
