package lib.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import lab.Lab;
import lab.LabNode;
import lab.LabTest;
import lib.docker.DockerClient;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import support.SecretSweep;

/**
 * Worker joins on a real 3-node lab swarm (node1 manager; node2, node3 join), swarm_join.java running
 * inside the joining node's namespaces: dry run, join with the token kept out of every process's
 * command line and environment and out of all output and logs, re-run, status, wrong token, a
 * pending node, leave, and the watch loop.
 */
@LabTest(nodes = 3, id = 30)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmJoinLabTest {
    @TempDir
    static Path work;

    static Path workerToken;
    static String managerAddr;

    @BeforeAll
    static void swarm(Lab lab) {
        SwarmLab.init(lab.node(1));
        workerToken = SwarmLab.tokenFile(lab.node(1), "worker", work);
        managerAddr = lab.node(1).ip();
    }

    @Test
    @Order(1)
    void dryRunPrintsThePlanAndChangesNothing(Lab lab) {
        String before = SwarmLab.snapshot(lab.node(2), lab.node(1));
        ProcessResult r = SwarmLab.run(
                lab.node(2), work, "--dry-run", "--token-file", workerToken.toString(), "--manager", managerAddr);
        assertEquals(0, r.exitCode(), r.stderr());
        String shortDigest = SwarmLab.token(workerToken).substring(9, 21);
        assertTrue(
                r.stdout()
                        .startsWith("plan (dry run: nothing was changed):\n  1. join swarm " + shortDigest
                                + " as worker through " + managerAddr
                                + ":2377: POST /v1.41/swarm/join ListenAddr 0.0.0.0:2377, AdvertiseAddr "
                                + lab.node(2).ip()),
                r.stdout());
        assertEquals(before, SwarmLab.snapshot(lab.node(2), lab.node(1)));
    }

    @Test
    @Order(2)
    void workerJoinsWithTheTokenNowhereToBeSeen(Lab lab) throws Exception {
        String token = SwarmLab.token(workerToken);
        String secretPart = token.substring(token.lastIndexOf('-') + 1);
        ProcessResult r;
        try (SecretSweep sweep =
                SecretSweep.start(Map.of("the join token's secret", secretPart), workerToken.toString())) {
            r = new ProcessRunner()
                    .runAnyExit(SwarmLab.command(
                            lab.node(2),
                            work,
                            Map.of(),
                            "--token-file",
                            workerToken.toString(),
                            "--manager",
                            managerAddr));
            assertEquals(0, r.exitCode(), r.stderr());
            sweep.close();
            assertTrue(
                    sweep.sightings() > 0 && sweep.samples() > 5,
                    "the sampler must have seen the joining process: " + sweep.samples() + " samples, "
                            + sweep.sightings() + " sightings");
            sweep.text("stdout", r.stdout()).text("stderr", r.stderr());
            for (LabNode n : lab.nodes())
                sweep.files(lab.dir().resolve("node" + n.index()).resolve("log"), p -> false);
            assertEquals(List.of(), sweep.leaks());
        }
        SwarmState st = SwarmLab.state(lab.node(2));
        assertTrue(st.active(), st.describe());
        assertEquals("worker", st.role());
        assertEquals(token.substring(9, 59), st.caDigest());
        assertEquals(lab.node(2).ip(), st.nodeAddr());
        boolean listed = false;
        for (JsonNode n : SwarmLab.nodes(lab.node(1)))
            listed |= n.path("ID").asText().equals(st.nodeId())
                    && n.path("Status").path("State").asText().equals("ready");
        assertTrue(listed, "the manager lists " + st.nodeId() + " as ready");
        assertTrue(r.stdout().startsWith("joined: node " + st.nodeId() + " is an active worker of swarm "), r.stdout());
    }

    @Test
    @Order(3)
    void reRunChangesNothingAndSaysSo(Lab lab) {
        String before = SwarmLab.snapshot(lab.node(2), lab.node(1));
        ProcessResult r = SwarmLab.run(
                lab.node(2), work, "--json", "--token-file", workerToken.toString(), "--manager", managerAddr);
        assertEquals(0, r.exitCode(), r.stderr());
        JsonNode j = SwarmLab.json(r);
        assertEquals("no-change", j.path("action").asText());
        assertFalse(j.path("changed").asBoolean());
        assertEquals(before, SwarmLab.snapshot(lab.node(2), lab.node(1)));
    }

    @Test
    @Order(4)
    void statusShowsNodeRoleAndManagers(Lab lab) {
        ProcessResult r = SwarmLab.run(lab.node(2), work, "--status", "--json");
        assertEquals(0, r.exitCode(), r.stderr());
        JsonNode j = SwarmLab.json(r);
        SwarmState st = SwarmLab.state(lab.node(2));
        assertEquals("active", j.path("state").asText());
        assertEquals("worker", j.path("role").asText());
        assertEquals(st.nodeId(), j.path("node_id").asText());
        assertEquals(
                managerAddr + ":2377", j.path("managers").path(0).path("addr").asText());
        assertEquals(
                "reachable", j.path("managers").path(0).path("reachability").asText());
        ProcessResult m = SwarmLab.run(lab.node(1), work, "--status", "--json");
        JsonNode mj = SwarmLab.json(m);
        assertEquals("manager", mj.path("role").asText());
        assertTrue(mj.path("managers").path(0).path("leader").asBoolean());
        assertEquals(1, mj.path("quorum").path("managers").asInt());
    }

    @Test
    @Order(5)
    void aWrongTokenIsRefusedAndTheNodeIsUnchanged(Lab lab) throws IOException {
        String good = SwarmLab.token(workerToken);
        Path bad = work.resolve("wrong-join-token");
        Files.writeString(bad, good.substring(0, good.lastIndexOf('-') + 1) + "0".repeat(25));
        Files.setPosixFilePermissions(bad, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String before = SwarmLab.snapshot(lab.node(3), lab.node(1));
        ProcessResult r = SwarmLab.run(lab.node(3), work, "--token-file", bad.toString(), "--manager", managerAddr);
        assertEquals(1, r.exitCode(), r.stderr());
        assertTrue(
                r.stderr()
                        .contains("error: manager " + managerAddr + ":2377 refused the join token read from file " + bad
                                + " (Docker POST /swarm/join: rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster (HTTP 400))."
                                + " The node is unchanged."),
                r.stderr());
        assertTrue(r.stderr().contains("The node is unchanged"), r.stderr());
        assertEquals(before, SwarmLab.snapshot(lab.node(3), lab.node(1)));
    }

    @Test
    @Order(6)
    void aPendingNodeIsResetAndRejoined(Lab lab) throws Exception {
        // a join towards an address where no manager answers leaves dockerd "pending", retrying in the background
        DockerClient d3 = lab.node(3).docker();
        try {
            d3.swarmJoin(
                    "0.0.0.0:2377",
                    lab.node(3).ip(),
                    null,
                    List.of("10.213." + lab.id() + ".99:2377"),
                    new lib.secret.Secret(SwarmLab.token(workerToken), "test"),
                    Duration.ofSeconds(2));
        } catch (lib.docker.DockerApiException expected) {
            // the client gives up after 2 s; the daemon keeps trying
        }
        assertEquals("pending", SwarmLab.state(lab.node(3)).localState());
        ProcessResult r = SwarmLab.run(
                lab.node(3), work, "--json", "--token-file", workerToken.toString(), "--manager", managerAddr);
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("leave with force: the node is pending, then rejoin"), r.stderr());
        assertEquals("rejoined", SwarmLab.json(r).path("action").asText());
        assertTrue(SwarmLab.state(lab.node(3)).active());
    }

    @Test
    @Order(7)
    void leaveTakesAWorkerOutAndIsIdempotent(Lab lab) {
        String id = SwarmLab.state(lab.node(3)).nodeId();
        ProcessResult r = SwarmLab.run(lab.node(3), work, "--leave");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(
                "left: node " + id + " is out of swarm "
                        + SwarmLab.token(workerToken).substring(9, 21)
                        + "; the managers still list it as down: remove it there with 'docker node rm " + id + "'",
                r.stdout().strip());
        assertEquals("inactive", SwarmLab.state(lab.node(3)).localState());
        assertTrue(Files.isRegularFile(work.resolve("state/left")));
        ProcessResult again = SwarmLab.run(lab.node(3), work, "--leave");
        assertEquals(0, again.exitCode(), again.stderr());
        assertEquals("no change: this node is not in a swarm", again.stdout().strip());
    }

    @Test
    @Order(8)
    void watchRejoinsANodeThatDroppedOut(Lab lab) throws Exception {
        Path w2 = Files.createDirectories(work.resolve("watch2"));
        CompletableFuture<ProcessResult> watch = CompletableFuture.supplyAsync(() -> new ProcessRunner()
                .runAnyExit(SwarmLab.command(
                        lab.node(2),
                        w2,
                        Map.of(),
                        "--watch",
                        "--interval",
                        "1s",
                        "--watch-rounds",
                        "10",
                        "--token-file",
                        workerToken.toString(),
                        "--manager",
                        managerAddr)));
        Thread.sleep(3000);
        lab.node(2).docker().swarmLeave(true);
        ProcessResult r = watch.get();
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("watch: node is inactive: rejoining"), r.stderr());
        assertTrue(SwarmLab.state(lab.node(2)).active(), r.stderr());
    }

    @Test
    @Order(9)
    void watchLeavesANodeThatLeftOnPurposeAlone(Lab lab) {
        // node3 left with --leave (order 7): the marker is in work/state
        ProcessResult r = SwarmLab.run(
                lab.node(3),
                work,
                "--watch",
                "--interval",
                "1s",
                "--watch-rounds",
                "2",
                "--token-file",
                workerToken.toString(),
                "--manager",
                managerAddr);
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("watch: the node left its swarm on purpose"), r.stderr());
        assertEquals("inactive", SwarmLab.state(lab.node(3)).localState());
    }

    @Test
    @Order(10)
    void aWorkerTokenForAManagerJoinIsUndone(Lab lab) {
        String before = SwarmLab.snapshot(lab.node(3), lab.node(1));
        ProcessResult r = SwarmLab.run(
                lab.node(3),
                work,
                "--role",
                "manager",
                "--token-file",
                workerToken.toString(),
                "--manager",
                managerAddr);
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(
                r.stderr().contains("is a worker token, but --role manager was asked; the node was taken out again"),
                r.stderr());
        assertEquals("inactive", SwarmLab.state(lab.node(3)).localState());
        // node3 itself is as before (the managers keep listing the short-lived node as down, like any leave)
        assertEquals(
                before.replaceAll("\"swarm_nodes\":\"[^\"]*\"", ""),
                SwarmLab.snapshot(lab.node(3), lab.node(1)).replaceAll("\"swarm_nodes\":\"[^\"]*\"", ""));
    }
}
