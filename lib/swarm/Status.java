package lib.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lib.cli.ExitCode;
import lib.docker.DockerClient;
import lib.json.Json;

/**
 * --status: node id, role, state, the swarm's identity and its managers with their reachability.
 * A manager reads the managers' raft view (GET /nodes); a worker knows only the managers' addresses
 * (Swarm.RemoteManagers) and probes their 2377/tcp itself.
 */
public final class Status {
    private Status() {}

    public static Outcome read(DockerClient docker, Duration probeTimeout) {
        Preflight.docker(docker);
        SwarmState st = SwarmState.read(docker);
        ObjectNode j = Json.object();
        j.put("state", st.localState()).put("node_id", st.nodeId()).put("node_addr", st.nodeAddr());
        j.put("role", st.active() ? st.role() : null).put("error", st.error());
        j.put("ca_digest", st.caDigest()).put("cluster_id", st.clusterId().isEmpty() ? null : st.clusterId());
        ArrayNode managers = j.putArray("managers");
        StringBuilder text = new StringBuilder();
        text.append("state:    ")
                .append(st.localState())
                .append(st.error().isEmpty() ? "" : " (" + st.error() + ")")
                .append('\n');
        if (!st.nodeId().isEmpty())
            text.append("node:     ")
                    .append(st.nodeId())
                    .append(" at ")
                    .append(st.nodeAddr())
                    .append('\n');
        if (st.active()) {
            text.append("role:     ").append(st.role()).append('\n');
            text.append("swarm:    CA digest ")
                    .append(st.caDigest() == null ? "(unknown)" : st.caDigest())
                    .append(st.clusterId().isEmpty() ? "" : ", cluster " + st.clusterId())
                    .append('\n');
        }
        if (st.manager()) {
            for (JsonNode n : docker.nodes()) {
                JsonNode ms = n.path("ManagerStatus");
                if (ms.isMissingNode() || ms.isNull()) continue;
                ObjectNode m = managers.addObject();
                m.put("addr", ms.path("Addr").asText())
                        .put("node_id", n.path("ID").asText())
                        .put("hostname", n.path("Description").path("Hostname").asText())
                        .put("leader", ms.path("Leader").asBoolean(false))
                        .put("reachability", ms.path("Reachability").asText());
            }
            Quorum q = Leave.quorum(docker);
            j.putObject("quorum")
                    .put("managers", q.total())
                    .put("reachable", q.reachable())
                    .put("majority", Quorum.majority(q.total()))
                    .put("fault_tolerance", q.faultTolerance());
            text.append("quorum:   ")
                    .append(q.describe())
                    .append(", tolerates ")
                    .append(q.faultTolerance())
                    .append(" more failure(s)\n");
        } else if (st.active()) {
            List<ManagerCandidate> remotes = new ArrayList<>();
            for (String a : st.remoteManagers())
                remotes.add(ManagerCandidate.of(ManagerAddress.parse(a, "Swarm.RemoteManagers"), "swarm"));
            Probe.Round round = new Probe.Round(remotes, null, probeTimeout);
            while (round.hasNext()) {
                ManagerCandidate c = round.peek();
                Probe.Result r = round.next();
                managers.addObject()
                        .put("addr", c.address().toString())
                        .put("reachability", r.ok() ? "reachable" : "unreachable")
                        .put("probe", r.describe());
            }
        }
        for (JsonNode m : managers) {
            text.append("manager:  ")
                    .append(m.path("addr").asText())
                    .append(' ')
                    .append(m.path("reachability").asText())
                    .append(m.path("leader").asBoolean(false) ? " (leader)" : "")
                    .append(m.has("hostname") ? " " + m.path("hostname").asText() : "")
                    .append('\n');
        }
        return new Outcome(ExitCode.OK, text.toString().stripTrailing(), j);
    }
}
