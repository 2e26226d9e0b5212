package install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import lib.cli.ExitCode;
import lib.cli.N0d3Exception;
import lib.install.DaemonJson;
import org.junit.jupiter.api.Test;

/** /etc/docker/daemon.json merge: the operator's keys kept, ours added and tracked, invalid JSON refused. */
class DaemonJsonTest {
    static final ObjectMapper M = new ObjectMapper();

    static ObjectNode parse(String s) {
        return DaemonJson.parse("/etc/docker/daemon.json", s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, JsonNode> rotation(String size, String files) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        m.put("log-opts.max-size", TextNode.valueOf(size));
        m.put("log-opts.max-file", TextNode.valueOf(files));
        return m;
    }

    @Test
    void missingOrEmptyFileIsAnEmptyObjectAsDockerdReadsIt() {
        assertEquals(0, parse(null).size());
        assertEquals(0, parse("  \n").size());
    }

    @Test
    void addsRotationToAFreshFileAndRendersLikeDockersDocs() {
        DaemonJson.Merge m = DaemonJson.merge(parse(null), rotation("10m", "3"), Map.of());
        assertEquals(
                "{\n  \"log-opts\": {\n    \"max-size\": \"10m\",\n    \"max-file\": \"3\"\n  }\n}\n",
                DaemonJson.render(m.result()));
        assertEquals(rotation("10m", "3"), m.ours());
        assertTrue(m.kept().isEmpty());
    }

    @Test
    void keepsEveryUserKeyAndTheirOrder() {
        ObjectNode cur = parse(
                "{\"data-root\": \"/srv/docker\", \"insecure-registries\": [\"10.0.0.5:5000\"], \"log-opts\": {\"labels\": \"team\"}}");
        DaemonJson.Merge m = DaemonJson.merge(cur, rotation("10m", "3"), Map.of());
        ObjectNode r = m.result();
        assertEquals("/srv/docker", r.get("data-root").asText());
        assertEquals("10.0.0.5:5000", r.get("insecure-registries").get(0).asText());
        assertEquals("team", r.get("log-opts").get("labels").asText());
        assertEquals("10m", r.get("log-opts").get("max-size").asText());
        assertEquals("[data-root, insecure-registries, log-opts]", iter(r));
    }

    @Test
    void neverOverwritesAValueTheOperatorSet() {
        ObjectNode cur = parse("{\"log-opts\": {\"max-size\": \"50m\"}}");
        DaemonJson.Merge m = DaemonJson.merge(cur, rotation("10m", "3"), Map.of());
        assertEquals("50m", m.result().get("log-opts").get("max-size").asText());
        assertEquals("3", m.result().get("log-opts").get("max-file").asText());
        assertEquals(1, m.kept().size());
        assertTrue(
                m.kept().get(0).startsWith("log-opts.max-size = \"50m\" (yours"),
                m.kept().get(0));
        assertEquals(Map.of("log-opts.max-file", TextNode.valueOf("3")), m.ours());
    }

    @Test
    void updatesItsOwnValueWhenTheConfigChanges() {
        ObjectNode cur = parse("{\"log-opts\": {\"max-size\": \"10m\", \"max-file\": \"3\"}}");
        DaemonJson.Merge m = DaemonJson.merge(cur, rotation("20m", "3"), rotation("10m", "3"));
        assertEquals("20m", m.result().get("log-opts").get("max-size").asText());
        assertEquals(rotation("20m", "3"), m.ours());
    }

    @Test
    void aValueTheOperatorChangedAfterTheInstallIsTheirsFromThenOn() {
        ObjectNode cur = parse("{\"log-opts\": {\"max-size\": \"99m\", \"max-file\": \"3\"}}");
        DaemonJson.Merge m = DaemonJson.merge(cur, rotation("20m", "3"), rotation("10m", "3"));
        assertEquals("99m", m.result().get("log-opts").get("max-size").asText());
        assertEquals(Map.of("log-opts.max-file", TextNode.valueOf("3")), m.ours());
    }

    @Test
    void aKeyNoLongerWantedIsRemovedOnlyWhileItHoldsOurValue() {
        ObjectNode cur = parse("{\"mtu\": 1280, \"metrics-addr\": \"0.0.0.0:9999\"}");
        Map<String, JsonNode> prev =
                Map.of("mtu", IntNode.valueOf(1280), "metrics-addr", TextNode.valueOf("127.0.0.1:9323"));
        DaemonJson.Merge m = DaemonJson.merge(cur, Map.of(), prev);
        assertEquals("{\"metrics-addr\":\"0.0.0.0:9999\"}", m.result().toString());
        assertTrue(m.ours().isEmpty());
    }

    @Test
    void unmergeTakesOutOnlyOurKeysAndEmptyParents() {
        ObjectNode cur =
                parse("{\"debug\": true, \"log-opts\": {\"max-size\": \"10m\", \"max-file\": \"3\"}, \"mtu\": 1280}");
        Map<String, JsonNode> ours = new LinkedHashMap<>(rotation("10m", "3"));
        ours.put("mtu", IntNode.valueOf(1400));
        assertEquals(
                "{\"debug\":true,\"mtu\":1280}", DaemonJson.unmerge(cur, ours).toString());
    }

    @Test
    void invalidJsonIsRefusedWithFileLineAndColumn() {
        N0d3Exception e =
                assertThrows(N0d3Exception.class, () -> parse("{\n  \"debug\": true,\n  \"mtu\": 1280,,\n}\n"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("/etc/docker/daemon.json:3:"), e.getMessage());
        assertTrue(
                e.getMessage().contains("not valid JSON") && e.getMessage().contains("refusing to change it"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aTopLevelThatIsNotAnObjectIsRefused() {
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> parse("[1, 2]"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("expected a JSON object"), e.getMessage());
    }

    private static String iter(ObjectNode n) {
        java.util.List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names.toString();
    }
}
