package lib.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.docker.DockerClient;
import lib.json.Json;
import lib.plan.Step;
import lib.plan.Steps;

/**
 * Leaving a swarm without breaking it. A worker just leaves. A manager is first demoted (so the raft
 * membership shrinks and the others keep their quorum) and then leaves as a worker; that is refused
 * when the managers left behind would lose quorum, or when it is the last manager, unless the
 * operator says --break-quorum. Pending, error and locked nodes leave with force (nothing to keep).
 */
public final class Leave {
    static final Duration DEMOTE_WAIT = Duration.ofSeconds(30);

    private Leave() {}

    /** The managers' raft view from this (manager) node: members and how many answer. */
    public static Quorum quorum(DockerClient docker) {
        int total = 0;
        int reachable = 0;
        for (JsonNode n : docker.nodes()) {
            JsonNode ms = n.path("ManagerStatus");
            if (ms.isMissingNode() || ms.isNull()) continue;
            total++;
            if ("reachable".equals(ms.path("Reachability").asText())) reachable++;
        }
        return new Quorum(total, reachable);
    }

    /** Refuses (exit 3) when this manager's leaving would break quorum and the operator did not say --break-quorum. */
    public static Quorum checkQuorum(DockerClient docker, boolean breakQuorum) {
        Quorum q = quorum(docker);
        if (!q.leaveKeepsQuorum()) {
            if (!breakQuorum) {
                throw N0d3Exception.unexpectedState("refusing to leave: " + q.leaveProblem() + " (" + q.describe()
                        + "); add --break-quorum to leave anyway");
            }
            Log.warn("leaving although " + q.leaveProblem() + " (--break-quorum)");
        }
        return q;
    }

    /** Takes this node out of its swarm. The caller has checked quorum for a manager. */
    public static void leave(DockerClient docker, SwarmState st) {
        if (!st.active()) {
            Log.info("leave: the node is " + st.localState()
                    + ": leaving with force (dockerd can take 20s to give up a pending join)");
            Waiting w = new Waiting("waiting for dockerd to leave", Duration.ofSeconds(3));
            try {
                docker.swarmLeave(true);
            } finally {
                w.close();
            }
            return;
        }
        if (st.manager()) {
            Quorum q = quorum(docker);
            if (q.total() > 1) {
                demoteSelf(docker, st.nodeId());
            } else {
                Log.info("leave: last manager, leaving with force (--break-quorum)");
                docker.swarmLeave(true);
                return;
            }
        }
        Log.info("leave: POST /swarm/leave");
        docker.swarmLeave(false);
    }

    /**
     * --leave: a worker leaves; a manager only with --force (demoted first, quorum checked); pending,
     * error or locked nodes leave with force. Records the deliberate leave for --watch.
     */
    public static Outcome run(
            DockerClient docker, boolean force, boolean breakQuorum, boolean dryRun, LeftMarker marker) {
        Preflight.docker(docker);
        SwarmState st = SwarmState.read(docker);
        ObjectNode j = Json.object();
        j.put("node_id", st.nodeId())
                .put("state_before", st.localState())
                .put("role_before", st.active() ? st.role() : null);
        if (st.localState().equals(SwarmState.INACTIVE)) {
            if (!dryRun) marker.write("--leave (already out)");
            j.put("action", "no-change").put("changed", false);
            return new Outcome(lib.cli.ExitCode.OK, "no change: this node is not in a swarm", j);
        }
        if (st.localState().equals(SwarmState.LOCKED) && !force) {
            throw N0d3Exception.unexpectedState(
                    "this node's swarm is locked: unlock it first, or add --force to leave without unlocking");
        }
        Quorum q = null;
        if (st.active() && st.manager()) {
            if (!force) {
                throw N0d3Exception.unexpectedState(
                        "this node is a manager of swarm " + st.shortDigest() + ": add --force to leave "
                                + "(it is demoted first, and refused if the other managers would lose quorum)");
            }
            q = checkQuorum(docker, breakQuorum);
        }
        String what = st.active() && st.manager()
                ? (q.total() > 1
                        ? "demote this manager (" + q.describe() + "), then leave swarm " + st.shortDigest()
                        : "leave swarm " + st.shortDigest() + " as its last manager, destroying it (--break-quorum)")
                : st.active()
                        ? "leave swarm " + st.shortDigest() + " (worker " + st.nodeId() + ")"
                        : "leave with force (the node is " + st.localState() + ")";
        Steps<Void> steps = new Steps<Void>().add(Step.of("leave", what, c -> {
            Log.info(what);
            leave(docker, st);
        }));
        if (dryRun) {
            j.put("action", "planned").put("changed", false).put("dry_run", true);
            j.set("plan", Joiner.planJson(steps));
            return new Outcome(lib.cli.ExitCode.OK, Joiner.planText(steps), j);
        }
        steps.run(null, s -> Log.debug(s.line()));
        marker.write("--leave of node " + st.nodeId());
        j.put("action", "left").put("changed", true);
        String text = "left: node " + st.nodeId() + " is out of swarm " + st.shortDigest()
                + (st.nodeId().isEmpty()
                        ? ""
                        : "; the managers still list it as down: remove it there with 'docker node rm " + st.nodeId()
                                + "'");
        return new Outcome(lib.cli.ExitCode.OK, text, j);
    }

    /** Demotes this manager to worker through its own API and waits until it has stepped down. */
    static void demoteSelf(DockerClient docker, String nodeId) {
        JsonNode node = docker.node(nodeId);
        long version = node.path("Version").path("Index").asLong();
        ObjectNode spec = node.path("Spec").deepCopy();
        spec.put("Role", "worker");
        Log.info("leave: demoting this manager (" + nodeId + ") to worker first, so the other managers keep quorum");
        docker.call("POST", "/nodes/" + nodeId + "/update?version=" + version, spec, Duration.ofSeconds(30));
        long deadline = System.nanoTime() + DEMOTE_WAIT.toNanos();
        Waiting w = new Waiting("waiting for the demotion", Duration.ofSeconds(3));
        try {
            while (System.nanoTime() < deadline) {
                if (demoted(docker, nodeId)) return;
                sleep(200);
            }
        } finally {
            w.close();
        }
        throw N0d3Exception.failure(
                "this node was asked to step down as manager but is still one after " + DEMOTE_WAIT.toSeconds() + "s");
    }

    /**
     * True once the raft membership no longer has this node: while it is a member, GET /nodes/ID
     * answers with a ManagerStatus; once removed, this node's API refuses cluster calls with 503
     * "not a swarm manager". A lost leader or an election (other errors, or a transient
     * ControlAvailable=false) does not count: leaving then would take a raft member away unannounced.
     */
    static boolean demoted(DockerClient docker, String nodeId) {
        try {
            JsonNode ms = docker.node(nodeId).path("ManagerStatus");
            return ms.isMissingNode() || ms.isNull();
        } catch (lib.docker.DockerApiException e) {
            return e.status() == 503
                    && e.getMessage().contains("not a swarm manager")
                    && !SwarmState.read(docker).manager();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw N0d3Exception.failure("interrupted");
        }
    }
}
