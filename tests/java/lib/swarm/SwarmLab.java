package lib.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lab.LabNode;
import lib.docker.DockerClient;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;

/**
 * What the swarm lab tests share: running swarm_join.java inside a lab node (its network and uts
 * namespaces, so the advertise address and routes are the node's), swarm set-up through the Engine
 * API, and reading the outcome back from the daemons.
 */
final class SwarmLab {
    static final ObjectMapper JSON = new ObjectMapper();
    /** A codex.yaml for the lab: short probe, bounded join. */
    static final String CODEX = """
            capabilities:
              swarm:
                probe_timeout: 1s
                join_timeout: 25s
            """;

    private SwarmLab() {}

    /** The test JVM's class path: target/classes, the dependencies (surefire's booter jar carries them in its manifest). */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** The argv that runs swarm_join.java like `jbang swarm_join.java` would, but from the compiled classes. */
    static List<String> argv(Path work, String... args) {
        List<String> a = new ArrayList<>(List.of(
                "java",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-cp",
                classPath(),
                "swarm_join",
                "--config",
                codex(work).toString(),
                "--state-dir",
                work.resolve("state").toString()));
        a.addAll(List.of(args));
        return a;
    }

    static Path codex(Path work) {
        Path f = work.resolve("codex.yaml");
        try {
            if (!Files.exists(f)) Files.writeString(f, CODEX);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    /** The command (not started) that runs swarm_join.java inside the node, NO_COLOR set. */
    static Command command(LabNode node, Path work, Map<String, String> env, String... args) {
        Command c =
                node.command(argv(work, args)).timeout(Duration.ofSeconds(150)).env("NO_COLOR", "1");
        env.forEach(c::env);
        return c;
    }

    static ProcessResult run(LabNode node, Path work, String... args) {
        return new ProcessRunner().runAnyExit(command(node, work, Map.of(), args));
    }

    /** docker swarm init on the node (test set-up, not the code under test). */
    static void init(LabNode node) {
        node.docker().swarmInit("0.0.0.0:2377", node.ip());
    }

    /** The join token of a manager's swarm, written to a 0600 file. */
    static Path tokenFile(LabNode manager, String role, Path dir) {
        String t = manager.docker()
                .swarmInspect()
                .path("JoinTokens")
                .path(role.equals("manager") ? "Manager" : "Worker")
                .asText();
        // named like real token files (swarm-join-token): messages must survive the Redactor with such names
        Path f = dir.resolve(manager.hostname() + "-" + role + "-join-token");
        try {
            Files.writeString(f, t + "\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    static String token(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SwarmState state(LabNode node) {
        return SwarmState.read(node.docker());
    }

    /** The managers' view of the swarm's nodes (GET /nodes on a manager). */
    static JsonNode nodes(LabNode manager) {
        return manager.docker().nodes();
    }

    /** Waits until the manager sees {@code n} managers, all reachable, one leader. */
    static void awaitManagers(LabNode manager, int n, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                int managers = 0;
                int reachable = 0;
                int leaders = 0;
                for (JsonNode x : nodes(manager)) {
                    JsonNode ms = x.path("ManagerStatus");
                    if (ms.isMissingNode()) continue;
                    managers++;
                    if ("reachable".equals(ms.path("Reachability").asText())) reachable++;
                    if (ms.path("Leader").asBoolean()) leaders++;
                }
                last = managers + " managers, " + reachable + " reachable, " + leaders + " leader(s)";
                if (managers == n && reachable == n && leaders == 1) return;
            } catch (RuntimeException e) {
                last = e.getMessage();
            }
            Thread.sleep(250);
        }
        assertEquals(n + " managers, " + n + " reachable, 1 leader(s)", last);
    }

    static JsonNode json(ProcessResult r) {
        try {
            return JSON.readTree(r.stdout());
        } catch (IOException e) {
            throw new AssertionError("not JSON on stdout: " + r.stdout() + "\nstderr: " + r.stderr(), e);
        }
    }

    /** A comparable snapshot of what a run could change: the node's swarm state, its networks, the swarm's node list. */
    static String snapshot(LabNode node, LabNode manager) {
        ObjectNode s = JSON.createObjectNode();
        JsonNode info = node.docker().info().path("Swarm");
        s.put("state", info.path("LocalNodeState").asText())
                .put("node", info.path("NodeID").asText())
                .put("control", info.path("ControlAvailable").asBoolean());
        List<String> nets = new ArrayList<>();
        for (JsonNode n : node.docker().networks()) {
            // ingress and docker_gwbridge reach a new node by themselves, some time after its join: dockerd's, not ours
            if (!n.path("Ingress").asBoolean() && !n.path("Name").asText().equals("docker_gwbridge"))
                nets.add(n.path("Name").asText() + "/" + n.path("Id").asText());
        }
        nets.sort(String::compareTo);
        s.put("networks", String.join(",", nets));
        List<String> ns = new ArrayList<>();
        // the node objects' specs (what a join, leave or demotion changes), not their status (heartbeats bump versions)
        for (JsonNode n : nodes(manager))
            ns.add(n.path("ID").asText() + "/" + n.path("Spec").path("Role").asText() + "/"
                    + n.path("Spec").path("Availability").asText());
        ns.sort(String::compareTo);
        s.put("swarm_nodes", String.join(",", ns));
        return s.toString();
    }

    /** Runs a command in the root namespace (ip link changes of the lab's own namespaces). */
    static void host(String... argv) {
        new ProcessRunner().run(Command.of(argv).timeout(Duration.ofSeconds(30)));
    }

    static DockerClient docker(LabNode n) {
        return n.docker();
    }
}
