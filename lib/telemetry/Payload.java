package lib.telemetry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import lib.cli.Version;

/**
 * One telemetry sample as sent to {@code POST {mgmt}/api/telemetry}: the original project's fields
 * ({@code node_id}, {@code timestamp} ISO-8601 UTC, {@code hostname}, {@code architecture},
 * {@code metrics.cpu/memory/disk/network/docker} with the original script's keys inside) plus
 * {@code schema_version} and {@code sample_id}, a random UUID that is the idempotency key receivers
 * deduplicate on. The contract is {@code schemas/telemetry-payload.schema.json}.
 */
public final class Payload {
    public static final int SCHEMA_VERSION = 1;
    public static final String SCHEMA = "schemas/telemetry-payload.schema.json";

    private Payload() {}

    public static ObjectNode build(String nodeId, Instant time, HostCollector.Result host, ObjectNode docker, ObjectNode telemetry) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("schema_version", SCHEMA_VERSION);
        p.put("sample_id", UUID.randomUUID().toString());
        p.put("node_id", nodeId);
        p.put("timestamp", time.truncatedTo(ChronoUnit.MILLIS).toString());
        p.put("hostname", host.hostname());
        p.put("architecture", host.architecture());
        p.put("machine", host.machine());
        p.put("uptime_seconds", host.uptimeSeconds());
        ObjectNode agent = p.putObject("agent");
        agent.put("name", "pr-cybr-n0d3-telemetry");
        agent.put("version", Version.VERSION);
        ObjectNode m = p.putObject("metrics");
        m.set("cpu", host.cpu());
        m.set("memory", host.memory());
        m.set("disk", host.disk());
        m.set("network", host.network());
        m.set("docker", docker);
        m.set("telemetry", telemetry);
        return p;
    }

    /**
     * What the agent's configuration says, for alerting on the node's own terms: its sampling interval
     * (staleness is a number of intervals) and whether the node should be an active swarm member
     * (capabilities.swarm.enabled and no deliberate {@code swarm-join --leave}).
     */
    public static void agentSettings(ObjectNode payload, java.time.Duration interval, boolean swarmExpected) {
        ObjectNode agent = (ObjectNode) payload.get("agent");
        agent.put("interval_seconds", interval.toMillis() / 1000.0);
        agent.put("swarm_expected", swarmExpected);
    }

    /** The original script's default node id: node-HOSTNAME (NODE_ID overrides, as it did). */
    public static String nodeId(java.util.Map<String, String> env, String nodeName) {
        String v = env.get("NODE_ID");
        if (v != null && !v.isBlank()) return v.strip();
        return "node-" + nodeName;
    }
}
