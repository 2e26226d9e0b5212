package telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real samples of this machine, validated against schemas/telemetry-payload.schema.json. */
class PayloadTest {
    @TempDir
    Path state;

    @Test
    void aFirstRunReportsLoadOnlyAndASecondRunReportsUtilisationAndRates() throws Exception {
        var agent = Agents.agent(state, "", Agents.env(null, null), List.of("-"));
        Agents.Run first = Agents.once(agent);
        assertEquals(0, first.exit(), first.stderr());
        assertEquals(1, first.stdout().size(), "one JSON sample on one line: " + first.stdout());
        JsonNode p1 = PayloadSchema.parse(first.stdout().get(0));
        PayloadSchema.assertValid(p1);
        JsonNode cpu1 = p1.path("metrics").path("cpu");
        assertTrue(cpu1.path("cpu_percent").isNull(), "first run: no previous ticks, no utilisation");
        assertTrue(cpu1.path("load_avg_1m").isNumber());
        assertFalse(
                p1.path("metrics").path("docker").path("available").asBoolean(),
                "no Docker here is reported, not an error");

        Thread.sleep(1100);
        Agents.Run second = Agents.once(Agents.agent(state, "", Agents.env(null, null), List.of("-")));
        JsonNode p2 = PayloadSchema.parse(second.stdout().get(0));
        PayloadSchema.assertValid(p2);
        assertTrue(
                p2.path("metrics").path("cpu").path("cpu_percent").isNumber(),
                "second run has ticks to compare: " + p2.path("metrics").path("cpu"));
        for (JsonNode i : p2.path("metrics").path("network").path("interfaces")) {
            assertTrue(i.path("rx_bytes_per_second").isNumber(), "rates from the previous run: " + i);
        }
        assertNotEquals(p1.path("sample_id").asText(), p2.path("sample_id").asText());
        assertTrue(Instant.parse(p2.path("timestamp").asText())
                .isAfter(Instant.parse(p1.path("timestamp").asText())));
        assertTrue(p2.path("timestamp").asText().endsWith("Z"), "UTC");
        assertEquals("node-test", p2.path("node_id").asText());
    }

    @Test
    void theOriginalScriptsFieldsArePresent() throws Exception {
        JsonNode p = PayloadSchema.parse(Agents.once(Agents.agent(state, "", Agents.env(null, null), List.of("-")))
                .stdout()
                .get(0));
        JsonNode m = p.path("metrics");
        for (String f : List.of("cpu_percent", "load_avg_1m"))
            assertTrue(m.path("cpu").has(f), f);
        for (String f : List.of("memory_total_kb", "memory_used_kb", "memory_percent"))
            assertTrue(m.path("memory").has(f), f);
        for (String f : List.of("disk_total_kb", "disk_used_kb", "disk_percent"))
            assertTrue(m.path("disk").has(f), f);
        for (String f : List.of("network_rx_bytes", "network_tx_bytes", "interface"))
            assertTrue(m.path("network").has(f), f);
        assertTrue(m.path("docker").has("docker_available"));
        for (String f : List.of("node_id", "timestamp", "hostname", "architecture")) assertTrue(p.has(f), f);
        assertTrue(m.path("memory").path("memory_total_kb").asLong() > 0);
        assertTrue(m.path("disk").path("disk_total_kb").asLong() > 0, "the root file system is measured");
    }

    @Test
    void theSchemaRejectsWhatItShould() throws Exception {
        ObjectNode p = (ObjectNode)
                PayloadSchema.parse(Agents.once(Agents.agent(state, "", Agents.env(null, null), List.of("-")))
                        .stdout()
                        .get(0));
        PayloadSchema.assertValid(p);
        ObjectNode noId = p.deepCopy();
        noId.remove("sample_id");
        assertFalse(PayloadSchema.problems(noId).isEmpty(), "sample_id is required");
        ObjectNode localTime = p.deepCopy();
        localTime.put("timestamp", "2025-10-26 20:00:00");
        assertFalse(PayloadSchema.problems(localTime).isEmpty(), "timestamp must be ISO-8601 UTC");
        ObjectNode extra = p.deepCopy();
        ((ObjectNode) extra.path("metrics").path("memory")).put("surprise", 1);
        assertFalse(PayloadSchema.problems(extra).isEmpty(), "additionalProperties false");
        ObjectNode badPercent = p.deepCopy();
        ((ObjectNode) badPercent.path("metrics").path("cpu")).put("cpu_percent", 140);
        assertFalse(PayloadSchema.problems(badPercent).isEmpty());
    }
}
