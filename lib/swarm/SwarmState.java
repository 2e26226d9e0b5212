package lib.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lib.docker.DockerClient;

/**
 * This node's swarm membership as the Engine API reports it ({@code GET /info}, field Swarm), plus
 * the swarm's identity: the root CA digest, from the cluster's TrustRoot on a manager or from
 * {@code <DockerRootDir>/swarm/certificates/swarm-root-ca.crt} on any node (a worker's /info has no
 * Cluster). The digest is the one a join token carries, so it tells "same swarm" from "another".
 */
public record SwarmState(
        String localState,
        String nodeId,
        String nodeAddr,
        boolean manager,
        String error,
        List<String> remoteManagers,
        String caDigest,
        String caDigestSource,
        String clusterId,
        String dockerRootDir) {

    public static final String INACTIVE = "inactive";
    public static final String PENDING = "pending";
    public static final String ACTIVE = "active";
    public static final String ERROR = "error";
    public static final String LOCKED = "locked";

    public static SwarmState read(DockerClient docker) {
        return from(docker.info());
    }

    static SwarmState from(JsonNode info) {
        JsonNode s = info.path("Swarm");
        List<String> remotes = new ArrayList<>();
        for (JsonNode r : s.path("RemoteManagers")) remotes.add(r.path("Addr").asText());
        String rootDir = info.path("DockerRootDir").asText("");
        String trustRoot = s.path("Cluster").path("TLSInfo").path("TrustRoot").asText("");
        String digest = null;
        String digestSource = null;
        if (!trustRoot.isEmpty()) {
            digest = JoinToken.caDigest(trustRoot);
            digestSource = "cluster TrustRoot";
        } else if (!rootDir.isEmpty()) {
            Path ca = Path.of(rootDir, "swarm", "certificates", "swarm-root-ca.crt");
            try {
                if (Files.isRegularFile(ca)) {
                    digest = JoinToken.caDigest(Files.readAllBytes(ca));
                    digestSource = ca.toString();
                }
            } catch (IOException e) {
                digestSource = ca + " (unreadable: " + e.getMessage() + ")";
            }
        }
        String state = s.path("LocalNodeState").asText(INACTIVE);
        if (state.isEmpty()) state = INACTIVE;
        return new SwarmState(
                state,
                s.path("NodeID").asText(""),
                s.path("NodeAddr").asText(""),
                s.path("ControlAvailable").asBoolean(false),
                s.path("Error").asText(""),
                List.copyOf(remotes),
                ACTIVE.equals(state) ? digest : null,
                digestSource,
                s.path("Cluster").path("ID").asText(""),
                rootDir);
    }

    public boolean active() {
        return ACTIVE.equals(localState);
    }

    public String role() {
        return manager ? "manager" : "worker";
    }

    public String shortDigest() {
        return caDigest == null ? "(unknown)" : caDigest.substring(0, 12);
    }

    /** For messages: "active worker abc123 of swarm 3micna2mqt41". */
    public String describe() {
        if (!active()) return localState + (error.isEmpty() ? "" : " (" + error + ")");
        return "active " + role() + " " + nodeId + " of swarm " + shortDigest();
    }
}
