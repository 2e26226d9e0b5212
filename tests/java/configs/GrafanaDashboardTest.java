package configs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * configs/grafana/pr-cybr-n0d3.json: every panel's query is valid PromQL (each loaded as a recording rule
 * through {@code promtool check rules}, with Grafana's variables given values), reads only metrics the node
 * exports, and the dashboard imports anywhere (its data source is a variable, panel ids are unique).
 */
class GrafanaDashboardTest {
    static final Path FILE = Repo.file("configs/grafana/pr-cybr-n0d3.json");

    @TempDir
    Path tmp;

    /** Every panel, rows' nested panels included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add);
        }
        return out;
    }

    /** "panel 7 (Spool) A" → its expr, for every query panel. */
    static Map<String, String> queries(JsonNode dashboard) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode p : panels(dashboard)) {
            for (JsonNode t : p.path("targets")) {
                out.put(
                        "panel " + p.path("id").asInt() + " (" + p.path("title").asText() + ") "
                                + t.path("refId").asText(),
                        t.path("expr").asText());
            }
        }
        return out;
    }

    /** Grafana's variables as a query runs them: $instance with "All" selected, the rate interval at its usual value. */
    static String withVariables(String expr) {
        return expr.replace("$__rate_interval", "5m")
                .replace("$__interval", "1m")
                .replace("$__range", "1h")
                .replace("$instance", ".*");
    }

    @Test
    void everyPanelQueryIsValidPromqlForPromtool() throws Exception {
        Map<String, String> queries = queries(Repo.json(FILE));
        assertTrue(queries.size() >= 15, "queries: " + queries.keySet());
        ObjectNode rules = Repo.JSON.createObjectNode();
        ArrayNode list = rules.putArray("groups")
                .addObject()
                .put("name", "grafana-dashboard-queries")
                .putArray("rules");
        int i = 0;
        for (Map.Entry<String, String> q : queries.entrySet()) {
            String expr = withVariables(q.getValue());
            assertTrue(!expr.contains("$"), q.getKey() + ": a Grafana variable left in " + expr);
            list.addObject().put("record", "dashboard:query_" + i++).put("expr", expr);
        }
        Files.writeString(tmp.resolve("dashboard-rules.yml"), Repo.YAML.writeValueAsString(rules));
        Promtool.Result r = Promtool.run(tmp, "check", "rules", "dashboard-rules.yml");
        assertEquals(0, r.exit(), queries + "\n" + r.output());
        assertTrue(r.output().contains("SUCCESS: " + queries.size() + " rules found"), r.output());
    }

    /** The check itself can fail: a broken query is reported by promtool. */
    @Test
    void aBrokenQueryFailsTheCheck() throws Exception {
        Files.writeString(
                tmp.resolve("bad.yml"),
                "groups:\n  - name: g\n    rules:\n      - record: dashboard:query_0\n        expr: rate(pr_cybr_load1[5m]\n");
        Promtool.Result r = Promtool.run(tmp, "check", "rules", "bad.yml");
        assertTrue(r.exit() != 0, r.output());
    }

    @Test
    void everyMetricThePanelsReadIsOneTheNodeExports() {
        Set<String> used = new TreeSet<>();
        queries(Repo.json(FILE)).values().forEach(q -> used.addAll(ExportedMetrics.usedIn(q)));
        assertTrue(used.size() >= 15, used.toString());
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(ExportedMetrics.families());
        assertEquals(Set.of(), missing, "the dashboard reads metrics lib/telemetry/PrometheusText does not export");
    }

    @Test
    void itImportsAnywhere() {
        JsonNode d = Repo.json(FILE);
        assertEquals("pr-cybr-n0d3-nodes", d.path("uid").asText());
        Set<String> vars = new HashSet<>();
        d.path("templating").path("list").forEach(v -> vars.add(v.path("name").asText()));
        assertEquals(Set.of("datasource", "instance"), vars);
        Set<Integer> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode p : panels(d)) {
            if (!ids.add(p.path("id").asInt())) problems.add("duplicate panel id " + p.path("id"));
            if (p.path("title").asText().isBlank()) problems.add("panel " + p.path("id") + " has no title");
            if (p.path("type").asText().equals("row")) continue;
            if (!"${datasource}".equals(p.path("datasource").path("uid").asText()))
                problems.add(p.path("title") + ": data source must be ${datasource}");
            for (JsonNode t : p.path("targets")) {
                if (!t.path("expr").asText().contains("$instance"))
                    problems.add(p.path("title") + " " + t.path("refId") + ": not filtered by $instance");
            }
        }
        assertEquals(List.of(), problems);
    }
}
