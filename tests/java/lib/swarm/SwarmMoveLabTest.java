package lib.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import lab.Lab;
import lab.LabTest;
import lib.proc.ProcessResult;
import lib.secret.Secret;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two swarms on one lab: A (node1) and B (node3, with node2 as its worker). A node of B given A's
 * token is refused (exit 3) until --force-leave; B's only manager also needs --break-quorum.
 */
@LabTest(nodes = 3, id = 32)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmMoveLabTest {
    @TempDir
    static Path work;

    static Path tokenA;
    static String digestB;

    @BeforeAll
    static void twoSwarms(Lab lab) {
        SwarmLab.init(lab.node(1));
        SwarmLab.init(lab.node(3));
        tokenA = SwarmLab.tokenFile(lab.node(1), "worker", work);
        Path tokenB = SwarmLab.tokenFile(lab.node(3), "worker", work);
        lab.node(2)
                .docker()
                .swarmJoin(
                        "0.0.0.0:2377",
                        lab.node(2).ip(),
                        null,
                        List.of(lab.node(3).ip() + ":2377"),
                        new Secret(SwarmLab.token(tokenB), "test"),
                        Duration.ofSeconds(30));
        digestB = SwarmLab.state(lab.node(2)).caDigest();
    }

    @Test
    @Order(1)
    void aNodeOfAnotherSwarmIsRefused(Lab lab) {
        String before = SwarmLab.snapshot(lab.node(2), lab.node(3));
        ProcessResult r = SwarmLab.run(
                lab.node(2),
                work,
                "--token-file",
                tokenA.toString(),
                "--manager",
                lab.node(1).ip());
        assertEquals(3, r.exitCode(), r.stderr());
        assertTrue(
                r.stderr()
                        .contains("this node is an active worker of another swarm (CA digest "
                                + digestB.substring(0, 12)),
                r.stderr());
        assertTrue(r.stderr().contains("Re-run with --force-leave to move the node"), r.stderr());
        assertEquals(before, SwarmLab.snapshot(lab.node(2), lab.node(3)));
    }

    @Test
    @Order(2)
    void forceLeaveDryRunPlansBothStepsAndChangesNothing(Lab lab) {
        String before = SwarmLab.snapshot(lab.node(2), lab.node(3));
        ProcessResult r = SwarmLab.run(
                lab.node(2),
                work,
                "--dry-run",
                "--force-leave",
                "--token-file",
                tokenA.toString(),
                "--manager",
                lab.node(1).ip());
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("1. leave swarm " + digestB.substring(0, 12)), r.stdout());
        assertTrue(
                r.stdout().contains("2. join swarm " + SwarmLab.token(tokenA).substring(9, 21) + " as worker"),
                r.stdout());
        assertEquals(before, SwarmLab.snapshot(lab.node(2), lab.node(3)));
    }

    @Test
    @Order(3)
    void forceLeaveMovesIt(Lab lab) {
        ProcessResult r = SwarmLab.run(
                lab.node(2),
                work,
                "--json",
                "--force-leave",
                "--token-file",
                tokenA.toString(),
                "--manager",
                lab.node(1).ip());
        assertEquals(0, r.exitCode(), r.stderr());
        JsonNode j = SwarmLab.json(r);
        assertEquals("moved", j.path("action").asText());
        SwarmState st = SwarmLab.state(lab.node(2));
        assertEquals(SwarmLab.token(tokenA).substring(9, 59), st.caDigest());
        assertEquals("worker", st.role());
    }

    @Test
    @Order(4)
    void theOnlyManagerOfAnotherSwarmAlsoNeedsBreakQuorum(Lab lab) {
        ProcessResult r = SwarmLab.run(
                lab.node(3),
                work,
                "--force-leave",
                "--token-file",
                tokenA.toString(),
                "--manager",
                lab.node(1).ip());
        assertEquals(3, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("refusing to leave: this is the last manager"), r.stderr());
        assertEquals(digestB, SwarmLab.state(lab.node(3)).caDigest());

        ProcessResult moved = SwarmLab.run(
                lab.node(3),
                work,
                "--force-leave",
                "--break-quorum",
                "--token-file",
                tokenA.toString(),
                "--manager",
                lab.node(1).ip());
        assertEquals(0, moved.exitCode(), moved.stderr());
        assertTrue(moved.stdout().startsWith("moved: node "), moved.stdout());
        assertEquals(
                SwarmLab.token(tokenA).substring(9, 59),
                SwarmLab.state(lab.node(3)).caDigest());
    }
}
