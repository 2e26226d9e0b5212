package telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lab.Lab;
import lab.LabTest;
import lib.docker.DockerClient;
import lib.telemetry.DockerCollector;
import lib.telemetry.PrometheusText;
import lib.telemetry.TelemetryState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker metrics from a real dockerd (the lab, id 60): a plain running busybox, an unhealthy one (a
 * health check that always fails) and a restarting one (restart policy always, a command that exits).
 */
@LabTest(nodes = 1, id = 60, busybox = true)
class DockerCollectorLabTest {
    static final String IMAGE = "n0d3-lab/busybox:latest";

    @TempDir
    Path state;

    static String create(DockerClient d, String name, ObjectNode spec) {
        String id = d.call("POST", "/containers/create?name=" + name, spec, Duration.ofSeconds(30))
                .path("Id")
                .asText();
        d.call("POST", "/containers/" + id + "/start", null, Duration.ofSeconds(30));
        return id;
    }

    static ObjectNode spec(String... cmd) {
        ObjectNode s = PayloadSchema.JSON.createObjectNode();
        s.put("Image", IMAGE);
        var c = s.putArray("Cmd");
        for (String x : cmd) c.add(x);
        return s;
    }

    @Test
    void reportsRunningUnhealthyAndRestartingContainersFromTheEngineApi(Lab lab) throws Exception {
        DockerClient d = lab.node(1).docker();
        create(d, "tel-running", spec("sleep", "3600"));
        ObjectNode sick = spec("sleep", "3600");
        ObjectNode hc = sick.putObject("Healthcheck");
        hc.putArray("Test").add("CMD").add("false");
        hc.put("Interval", 1_000_000_000L);
        hc.put("Timeout", 1_000_000_000L);
        hc.put("Retries", 1);
        create(d, "tel-unhealthy", sick);
        ObjectNode crashing = spec("false");
        crashing.putObject("HostConfig").putObject("RestartPolicy").put("Name", "always");
        create(d, "tel-restarting", crashing);

        long until = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < until) {
            String health = d.container("tel-unhealthy")
                    .path("State")
                    .path("Health")
                    .path("Status")
                    .asText();
            long restarts = d.container("tel-restarting").path("RestartCount").asLong();
            if (health.equals("unhealthy") && restarts >= 1) break;
            Thread.sleep(500);
        }

        Map<String, String> env = new HashMap<>(Agents.env(null, null));
        env.put("DOCKER_HOST", lab.node(1).dockerHost());
        Agents.Run first = Agents.once(Agents.agent(state, "", env, List.of("-")));
        assertEquals(0, first.exit(), first.stderr());
        PayloadSchema.assertValid(PayloadSchema.parse(first.stdout().get(0)));
        Thread.sleep(1500);
        Agents.Run second = Agents.once(Agents.agent(state, "", env, List.of("-")));
        JsonNode p = PayloadSchema.parse(second.stdout().get(0));
        PayloadSchema.assertValid(p);

        JsonNode docker = p.path("metrics").path("docker");
        assertTrue(docker.path("available").asBoolean(), docker.toString());
        assertEquals("20.10", docker.path("engine_version").asText().substring(0, 5), "Debian's dockerd");
        assertEquals("inactive", docker.path("swarm").path("state").asText());
        assertEquals("none", docker.path("swarm").path("role").asText());
        assertEquals(3, docker.path("containers_total").asInt(), docker.toString());
        // the daemon's way: /info and the list asked on the calling thread, no thread per answer
        ObjectNode inline =
                new DockerCollector(DockerClient.fromEnv(env)).longLived().collect(TelemetryState.empty());
        assertEquals(docker.path("engine_version"), inline.path("engine_version"));
        assertEquals(3, inline.path("containers_total").asInt(), inline.toString());
        assertEquals(docker.path("containers_unhealthy"), inline.path("containers_unhealthy"), inline.toString());
        assertEquals(1, docker.path("containers_unhealthy").asInt(), docker.toString());
        Map<String, JsonNode> byName = new HashMap<>();
        docker.path("containers").forEach(c -> byName.put(c.path("name").asText(), c));

        JsonNode running = byName.get("tel-running");
        assertEquals("running", running.path("state").asText());
        assertEquals("none", running.path("health").asText());
        assertTrue(running.path("cpu_percent").isNumber(), "second sample: CPU % against the first: " + running);
        assertTrue(running.path("memory_usage_bytes").asLong() > 0, running.toString());
        assertTrue(running.path("memory_limit_bytes").asLong() > 0, running.toString());

        JsonNode sickOne = byName.get("tel-unhealthy");
        assertEquals("unhealthy", sickOne.path("health").asText(), sickOne.toString());

        JsonNode crash = byName.get("tel-restarting");
        assertTrue(crash.path("restart_count").asLong() >= 1, crash.toString());
        assertTrue(
                List.of("restarting", "running", "exited")
                        .contains(crash.path("state").asText()),
                crash.toString());
        assertEquals(
                d.container("tel-restarting").path("RestartCount").asLong()
                        >= crash.path("restart_count").asLong(),
                true);

        String text = PrometheusText.render(p);
        assertTrue(text.contains("pr_cybr_docker_up 1"), text);
        assertTrue(text.contains("pr_cybr_docker_containers{state=\"unhealthy\"} 1"), text);
        assertTrue(
                text.matches(
                        "(?s).*pr_cybr_container_health_status\\{name=\"tel-unhealthy\",[^}]*status=\"unhealthy\"} 1.*"),
                text);
        assertTrue(
                text.matches("(?s).*pr_cybr_container_restarts_total\\{name=\"tel-restarting\",[^}]*} [1-9].*"), text);
        PrometheusTextTest.promtoolAccepts(text);

        for (String n : List.of("tel-running", "tel-unhealthy", "tel-restarting")) {
            d.call("DELETE", "/containers/" + n + "?force=true", null, Duration.ofSeconds(30));
        }
    }
}
