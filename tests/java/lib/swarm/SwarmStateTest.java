package lib.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /info answers recorded from the lab's dockerd 20.10 (tests/resources/swarm/info-*.json). */
class SwarmStateTest {
    static JsonNode info(String name) throws Exception {
        try (InputStream in = SwarmStateTest.class.getResourceAsStream("/swarm/" + name)) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void aManagerKnowsItsSwarmFromTheClusterTrustRoot() throws Exception {
        SwarmState s = SwarmState.from(info("info-manager.json"));
        assertTrue(s.active());
        assertTrue(s.manager());
        assertEquals(JoinTokenTest.LAB_DIGEST, s.caDigest());
        assertEquals("cluster TrustRoot", s.caDigestSource());
        assertFalse(s.clusterId().isEmpty());
    }

    @Test
    void aWorkerReadsTheRootCaFileUnderDockerRootDir(@TempDir Path dir) throws Exception {
        ObjectNode i = (ObjectNode) info("info-worker.json");
        assertTrue(i.path("Swarm").path("Cluster").isMissingNode()
                || i.path("Swarm").path("Cluster").isNull());
        Path certs = Files.createDirectories(dir.resolve("swarm/certificates"));
        Files.writeString(certs.resolve("swarm-root-ca.crt"), JoinTokenTest.pem());
        i.put("DockerRootDir", dir.toString());
        SwarmState s = SwarmState.from(i);
        assertEquals("worker", s.role());
        assertEquals(JoinTokenTest.LAB_DIGEST, s.caDigest());
        assertEquals(List.of("10.213.59.12:2377", "10.213.59.11:2377", "10.213.59.13:2377"), s.remoteManagers());
    }

    @Test
    void aWorkerWithoutItsCaFileHasNoDigest(@TempDir Path dir) throws Exception {
        ObjectNode i = (ObjectNode) info("info-worker.json");
        i.put("DockerRootDir", dir.toString());
        assertNull(SwarmState.from(i).caDigest());
    }

    @Test
    void inactiveNode() throws Exception {
        ObjectNode i = (ObjectNode) info("info-worker.json");
        ObjectNode sw = i.putObject("Swarm");
        sw.put("NodeID", "")
                .put("LocalNodeState", "inactive")
                .put("ControlAvailable", false)
                .put("Error", "");
        SwarmState s = SwarmState.from(i);
        assertFalse(s.active());
        assertEquals("inactive", s.describe());
        assertNull(s.caDigest());
    }
}
