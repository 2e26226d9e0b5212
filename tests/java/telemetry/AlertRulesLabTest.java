package telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import lab.Lab;
import lab.LabTest;
import lib.docker.DockerClient;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import lib.swarm.LeftMarker;
import lib.telemetry.PrometheusText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.Project;

/**
 * configs/prometheus/alerts.yml against what a real node exports (the lab: a real dockerd, a real swarm,
 * a real failing swarm service): the series of two samples, as the agent rendered them, become promtool
 * input series (only their timing is laid out by the test), and the rules must fire and stay silent on them.
 * PrCybrSwarmMembershipLost: a manager that leaves its swarm. PrCybrContainerRestarting (swarm): the task
 * containers Swarm creates for a service whose command fails, with their real SERVICE.SLOT.TASKID names.
 */
@LabTest(nodes = 1, busybox = true)
class AlertRulesLabTest {
    static final String IMAGE = "n0d3-lab/busybox:latest";
    static final Path RULES = Project.basedir().resolve("configs/prometheus/alerts.yml");

    @TempDir
    Path dir;

    /** One sample of the node through the agent (stdout sink), as Prometheus text: series → value. */
    Map<String, String> sample(Lab lab) throws Exception {
        Map<String, String> env = new HashMap<>(Agents.env(null, null));
        env.put("DOCKER_HOST", lab.node(1).dockerHost());
        Agents.Run r = Agents.once(Agents.agent(dir.resolve("state"), "", env, List.of("-"))
                .leftMarker(new LeftMarker(dir.resolve("swarm"))));
        assertEquals(0, r.exit(), r.stderr());
        JsonNode p = PayloadSchema.parse(r.stdout().get(0));
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : PrometheusText.render(p).split("\n")) {
            if (line.startsWith("#") || line.isBlank()) continue;
            int sp = line.lastIndexOf(' ');
            String series = line.substring(0, sp);
            String withTarget = series.contains("{")
                    ? series.replaceFirst("\\{", "{instance=\"node1:9100\",job=\"node\",")
                    : series + "{instance=\"node1:9100\",job=\"node\"}";
            out.put(withTarget, line.substring(sp + 1));
        }
        return out;
    }

    /** promtool input series: {@code before} for minutes 0-10, {@code after} from minute 11 to 40. */
    static String series(Map<String, String> before, Map<String, String> after) {
        StringBuilder sb = new StringBuilder();
        TreeSet<String> all = new TreeSet<>(before.keySet());
        all.addAll(after.keySet());
        for (String s : all) {
            String a = before.containsKey(s) ? before.get(s) + "x10" : "_x10";
            String b = after.containsKey(s) ? " " + after.get(s) + "x29" : " stale";
            sb.append("      - series: '")
                    .append(s.replace("'", "''"))
                    .append("'\n        values: '")
                    .append(a)
                    .append(b)
                    .append("'\n");
        }
        return sb.toString();
    }

    /** Runs promtool test rules on one test case; its output when it fails. */
    String promtoolTest(String inputSeries, String alertTests) throws Exception {
        Files.copy(RULES, dir.resolve("alerts.yml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(
                dir.resolve("case.yml"),
                "rule_files: [alerts.yml]\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n"
                        + inputSeries + "    alert_rule_test:\n" + alertTests);
        Tools.require("promtool");
        ProcessResult r = new ProcessRunner()
                .runAnyExit(Command.of("promtool", "test", "rules", "case.yml")
                        .dir(dir)
                        .timeout(Duration.ofSeconds(60)));
        return r.exitCode() == 0 ? "" : r.stdout() + r.stderr() + "\n" + Files.readString(dir.resolve("case.yml"));
    }

    /** A label's value in a series written as Prometheus text ({@code name{a="x",...}}). */
    static String label(String series, String name) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("[{,]" + name + "=\"([^\"]*)\"").matcher(series);
        return m.find() ? m.group(1) : "";
    }

    static String expectSilent(String alert, String at) {
        return "      - eval_time: " + at + "\n        alertname: " + alert + "\n        exp_alerts: []\n";
    }

    @Test
    void theRulesFireAndStaySilentOnWhatARealNodeExports(Lab lab) throws Exception {
        DockerClient d = lab.node(1).docker();
        d.swarmInit("0.0.0.0:2377", lab.node(1).ip());
        ProcessResult svc = lab.node(1)
                .exec(
                        List.of(
                                "docker",
                                "service",
                                "create",
                                "--detach",
                                "--name",
                                "api",
                                "--no-resolve-image",
                                "--restart-delay",
                                "1s",
                                IMAGE,
                                "false"),
                        Duration.ofSeconds(60));
        assertEquals(0, svc.exitCode(), svc.stderr());
        List<JsonNode> tasks = new ArrayList<>();
        long until = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < until) {
            tasks.clear();
            for (JsonNode c : d.containers(true)) {
                if (c.path("Labels")
                        .path("com.docker.swarm.service.name")
                        .asText()
                        .equals("api")) tasks.add(c);
            }
            if (tasks.size() >= 4) break;
            Thread.sleep(500);
        }
        assertTrue(tasks.size() >= 4, "Swarm replaced the failing task at least 3 times: " + tasks.size());
        Map<String, String> member = sample(lab);
        assertTrue(
                member.keySet().stream()
                        .anyMatch(
                                s -> s.startsWith("pr_cybr_docker_swarm_node_info{") && s.contains("state=\"active\"")),
                member.toString());

        // -- swarm task churn: four of the real task containers' series, each appearing two minutes after the one
        // before
        Map<String, Long> created = new HashMap<>();
        for (JsonNode c : d.containers(true))
            created.put(
                    c.path("Names").path(0).asText().replaceFirst("^/", ""),
                    c.path("Created").asLong());
        List<String> taskSeries = member.keySet().stream()
                .filter(k -> k.startsWith("pr_cybr_container_running{") && k.contains("name=\"api."))
                .sorted(Comparator.comparingLong((String k) -> created.getOrDefault(label(k, "name"), Long.MAX_VALUE)))
                .toList();
        assertTrue(taskSeries.size() >= 4, "the sample has the task containers: " + taskSeries);
        for (String k : taskSeries)
            assertTrue(
                    label(k, "name").matches("api\\.1\\.[a-z0-9]{25}"),
                    "Swarm's task names are SERVICE.SLOT.TASKID: " + k);
        StringBuilder churn = new StringBuilder();
        int minute = 10;
        for (String k : taskSeries.subList(0, 4)) {
            churn.append("      - series: '")
                    .append(k)
                    .append("'\n        values: '_x")
                    .append(minute)
                    .append(" 0x")
                    .append(40 - minute)
                    .append("'\n");
            minute += 2;
        }
        String fired = promtoolTest(
                churn.toString(),
                expectSilent("PrCybrContainerRestarting", "9m")
                        + "      - eval_time: 20m\n        alertname: PrCybrContainerRestarting\n        exp_alerts:\n"
                        + "          - exp_labels: {severity: warning, restarted_by: swarm, instance: \"node1:9100\", job: node, task_slot: api.1}\n"
                        + "            exp_annotations:\n"
                        + "              summary: \"Swarm task slot api.1 on node1:9100 got 4 new containers in 15 minutes\"\n"
                        + "              description: \"Docker Swarm keeps replacing the task of api.1 with a new container: it fails soon after it starts"
                        + " (docker service ps --no-trunc shows why).\"\n"
                        + "              runbook_url: https://github.com/PR-CYBR/PR-CYBR-N0D3/blob/main/.specify/tasks/SOP-005-troubleshooting-guide.md"
                        + "#prcybrcontainerrestarting\n");
        assertEquals("", fired);

        // -- the manager leaves its swarm (not through swarm-join --leave: no marker, so still expected)
        lab.node(1).exec(List.of("docker", "service", "rm", "api"), Duration.ofSeconds(60));
        d.swarmLeave(true);
        Map<String, String> left = sample(lab);
        assertTrue(
                left.keySet().stream()
                        .anyMatch(s ->
                                s.startsWith("pr_cybr_docker_swarm_node_info{") && s.contains("state=\"inactive\"")),
                left.toString());
        assertEquals(
                "1",
                left.get("pr_cybr_swarm_membership_expected{instance=\"node1:9100\",job=\"node\"}"),
                left.toString());
        Map<String, String> membershipOnly = new LinkedHashMap<>();
        Map<String, String> membershipAfter = new LinkedHashMap<>();
        member.forEach((k, v) -> {
            if (k.startsWith("pr_cybr_docker_") || k.startsWith("pr_cybr_swarm_")) membershipOnly.put(k, v);
        });
        left.forEach((k, v) -> {
            if (k.startsWith("pr_cybr_docker_") || k.startsWith("pr_cybr_swarm_")) membershipAfter.put(k, v);
        });
        String lost = promtoolTest(
                series(membershipOnly, membershipAfter),
                expectSilent("PrCybrSwarmMembershipLost", "10m")
                        + expectSilent("PrCybrDockerDown", "35m")
                        + "      - eval_time: 35m\n        alertname: PrCybrSwarmMembershipLost\n        exp_alerts:\n"
                        + "          - exp_labels: {severity: critical, instance: \"node1:9100\", job: node}\n"
                        + "            exp_annotations:\n"
                        + "              summary: \"node1:9100 is not an active member of its Docker swarm\"\n"
                        + "              description: \"capabilities.swarm.enabled is true and no deliberate leave is recorded, but the engine's swarm state has not"
                        + " been active for 10 minutes (see pr_cybr_docker_swarm_node_info's state label).\"\n"
                        + "              runbook_url: https://github.com/PR-CYBR/PR-CYBR-N0D3/blob/main/.specify/tasks/SOP-005-troubleshooting-guide.md"
                        + "#prcybrswarmmembershiplost\n");
        assertEquals("", lost);

        // the same leave recorded by swarm-join --leave: expected 0, and the rule stays silent
        new LeftMarker(dir.resolve("swarm")).write("swarm-join --leave (test)");
        Map<String, String> deliberate = new LinkedHashMap<>();
        sample(lab).forEach((k, v) -> {
            if (k.startsWith("pr_cybr_docker_") || k.startsWith("pr_cybr_swarm_")) deliberate.put(k, v);
        });
        assertEquals(
                "", promtoolTest(series(membershipOnly, deliberate), expectSilent("PrCybrSwarmMembershipLost", "35m")));
        for (JsonNode c : d.containers(true))
            d.call("DELETE", "/containers/" + c.path("Id").asText() + "?force=true", null, Duration.ofSeconds(30));
    }
}
