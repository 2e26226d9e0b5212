package telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import lib.swarm.LeftMarker;
import lib.telemetry.PrometheusText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusTextTest {
    @TempDir
    Path state;

    @Test
    void theTextfileSinkWritesAnExpositionThatPromtoolAccepts() throws Exception {
        Path textfiles = state.resolve("textfile");
        String codex = Agents.codex("textfile_dir: " + textfiles);
        Agents.Run r1 = Agents.once(Agents.agent(state, codex, Agents.env(null, null), List.of()));
        assertEquals(0, r1.exit(), r1.stderr());
        assertTrue(r1.stdout().isEmpty(), "textfile configured: no stdout sink by default");
        Thread.sleep(1100);
        Agents.once(Agents.agent(state, codex, Agents.env(null, null), List.of("textfile")));
        Path prom = textfiles.resolve(PrometheusText.TEXTFILE_NAME);
        String text = Files.readString(prom, StandardCharsets.UTF_8);
        assertEquals(
                "rw-r--r--",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(prom)),
                "node_exporter must read it");
        try (var files = Files.list(textfiles)) {
            assertEquals(
                    List.of(prom),
                    files.toList(),
                    "no temporary file left beside it (node_exporter reads *.prom only, the rename is atomic)");
        }
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")) assertTrue(line.startsWith("pr_cybr_"), "prefix: " + line);
        }
        for (String f : List.of(
                "pr_cybr_cpu_seconds_total{mode=\"idle\"}",
                "pr_cybr_load1 ",
                "pr_cybr_memory_total_bytes ",
                "pr_cybr_filesystem_avail_bytes{",
                "pr_cybr_network_receive_bytes_total{device=",
                "pr_cybr_docker_up 0",
                "pr_cybr_telemetry_spool_dropped_total ",
                "pr_cybr_cpu_utilisation_ratio ",
                "pr_cybr_telemetry_interval_seconds 60",
                "pr_cybr_swarm_membership_expected ")) {
            assertTrue(text.contains(f), f + " in\n" + text);
        }
        promtoolAccepts(text);
    }

    /** One stdout sample of an agent whose swarm-join state (the deliberate-leave marker) is {@code swarmState}. */
    JsonNode sample(String codex, Path swarmState) throws Exception {
        Agents.Run r = Agents.once(Agents.agent(state, codex, Agents.env(null, null), List.of("-"))
                .leftMarker(new LeftMarker(swarmState)));
        assertEquals(0, r.exit(), r.stderr());
        JsonNode p = PayloadSchema.parse(r.stdout().get(0));
        PayloadSchema.assertValid(p);
        return p;
    }

    /**
     * What the alert rules need from the node's own configuration: the sampling interval (staleness is a
     * number of intervals) and whether the node should be an active swarm member (enabled, and not left on
     * purpose with swarm-join --leave).
     */
    @Test
    void theSampleSaysItsIntervalAndWhetherTheNodeShouldBeInASwarm() throws Exception {
        Path swarmState = state.resolve("swarm");
        JsonNode member = sample(Agents.codex("interval: 90s"), swarmState);
        assertEquals(90.0, member.path("agent").path("interval_seconds").asDouble());
        assertTrue(member.path("agent").path("swarm_expected").asBoolean());
        String text = PrometheusText.render(member);
        assertTrue(text.contains("\npr_cybr_telemetry_interval_seconds 90\n"), text);
        assertTrue(text.contains("\npr_cybr_swarm_membership_expected 1\n"), text);
        promtoolAccepts(text);

        new LeftMarker(swarmState).write("swarm-join --leave (test)");
        JsonNode left = sample(Agents.codex("interval: 500ms"), swarmState);
        assertFalse(
                left.path("agent").path("swarm_expected").asBoolean(true),
                "a deliberate leave is not a lost membership");
        String leftText = PrometheusText.render(left);
        assertTrue(leftText.contains("\npr_cybr_swarm_membership_expected 0\n"), leftText);
        assertTrue(leftText.contains("\npr_cybr_telemetry_interval_seconds 0.5\n"), leftText);

        new LeftMarker(swarmState).clear();
        JsonNode standalone = sample("capabilities:\n  swarm:\n    enabled: false\n", swarmState);
        assertTrue(
                PrometheusText.render(standalone).contains("\npr_cybr_swarm_membership_expected 0\n"),
                "capabilities.swarm.enabled: false");
    }

    @Test
    void labelValuesAreEscaped() {
        JsonNode p = PayloadSchema.parse(
                "{\"node_id\":\"a\\\"b\\\\c\\nd\",\"hostname\":\"h\",\"architecture\":\"amd64\",\"timestamp\":\"2026-01-01T00:00:00Z\","
                        + "\"agent\":{\"version\":\"0.1.0\"},\"metrics\":{}}");
        String text = PrometheusText.render(p);
        assertTrue(text.contains("node_id=\"a\\\"b\\\\c\\nd\""), text);
        promtoolAccepts(text);
    }

    /** promtool check metrics (Debian's prometheus package): exit 0 and no lint complaint. */
    static void promtoolAccepts(String text) {
        Tools.require("promtool");
        ProcessResult r = new ProcessRunner()
                .runAnyExit(
                        Command.of("promtool", "check", "metrics").stdin(text).timeout(Duration.ofSeconds(30)));
        assertEquals(0, r.exitCode(), "promtool check metrics: " + r.stdout() + r.stderr());
        assertEquals("", (r.stdout() + r.stderr()).strip(), "promtool lint findings");
    }
}
