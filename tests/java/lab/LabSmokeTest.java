package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lib.docker.DockerClient;
import lib.proc.ProcessResult;
import lib.secret.Secret;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The lab smoke test, through the project's own Engine API client: three real dockerd nodes, each
 * answering with its own hostname, a swarm initialised on node 1 and joined from node 2 over the
 * lab bridge.
 */
@LabTest(nodes = 3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabSmokeTest {

    @Test
    @Order(1)
    void swarmInitOnNode1AndEveryDaemonAnswersInfoWithItsOwnHostname(Lab lab) {
        DockerClient manager = lab.node(1).docker();
        String nodeId = manager.swarmInit("0.0.0.0:2377", lab.node(1).ip());
        assertFalse(nodeId.isBlank(), "swarm init returned no node id");

        for (LabNode n : lab.nodes()) {
            JsonNode info = n.docker().info();
            assertEquals("node" + n.index(), info.path("Name").asText(), "GET /info Name of " + n);
        }
        JsonNode swarm = manager.info().path("Swarm");
        assertEquals("active", swarm.path("LocalNodeState").asText(), "node1 Swarm: " + swarm);
        assertEquals(nodeId, swarm.path("NodeID").asText());
        assertTrue(swarm.path("ControlAvailable").asBoolean(), "node1 is a manager");
        assertEquals(lab.node(1).ip(), swarm.path("NodeAddr").asText());
        for (int k = 2; k <= 3; k++) {
            assertEquals(
                    "inactive",
                    lab.node(k)
                            .docker()
                            .info()
                            .path("Swarm")
                            .path("LocalNodeState")
                            .asText(),
                    "node" + k + " has not joined anything yet");
        }
    }

    @Test
    @Order(2)
    void node2JoinsAsWorkerOverTheLabBridge(Lab lab) {
        DockerClient manager = lab.node(1).docker();
        if (!"active".equals(manager.info().path("Swarm").path("LocalNodeState").asText())) {
            manager.swarmInit("0.0.0.0:2377", lab.node(1).ip());
        }
        Secret token = new Secret(
                manager.swarmInspect().path("JoinTokens").path("Worker").asText(), "swarm inspect");
        lab.node(2)
                .docker()
                .swarmJoin(
                        "0.0.0.0:2377",
                        lab.node(2).ip(),
                        null,
                        List.of(lab.node(1).ip() + ":2377"),
                        token,
                        Duration.ofSeconds(60));

        JsonNode worker = lab.node(2).docker().info().path("Swarm");
        assertEquals("active", worker.path("LocalNodeState").asText(), "node2 Swarm: " + worker);
        assertEquals(lab.node(2).ip(), worker.path("NodeAddr").asText());
        List<String> hostnames = new ArrayList<>();
        for (JsonNode n : manager.nodes())
            hostnames.add(n.path("Description").path("Hostname").asText());
        hostnames.sort(null);
        assertEquals(List.of("node1", "node2"), hostnames, "GET /nodes on the manager");
    }

    @Test
    @Order(3)
    void execRunsInTheNodesNetworkAndUtsNamespacesWithItsDockerHost(Lab lab) {
        LabNode n3 = lab.node(3);
        ProcessResult r = n3.exec(
                List.of(
                        "sh",
                        "-c",
                        "hostname; ip -4 -o addr show dev eth0; echo \"$DOCKER_HOST\"; cat /proc/net/route | wc -l"),
                Duration.ofSeconds(20));
        assertEquals(0, r.exitCode(), r.stderr());
        String[] lines = r.stdout().strip().split("\\R");
        assertEquals("node3", lines[0]);
        assertTrue(lines[1].contains(" " + n3.ip() + "/24 "), "eth0 of node3: " + lines[1]);
        assertEquals(n3.dockerHost(), lines[2]);
        assertEquals(
                "2", lines[3].strip(), "one route (the lab subnet) plus the header: no default route out of the lab");

        ProcessResult fail = n3.exec(List.of("sh", "-c", "echo oops >&2; exit 7"), Duration.ofSeconds(20));
        assertEquals(7, fail.exitCode());
        assertEquals("oops", fail.stderr().strip());
    }
}
