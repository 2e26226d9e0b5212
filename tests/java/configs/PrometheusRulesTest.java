package configs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * configs/prometheus/alerts.yml: valid for promtool, unit-tested by alerts.test.yml (every alert fires in
 * one case and stays silent in another, and the cases have teeth: a rule that never fires or always fires
 * fails them), every alert carries for:, a severity and a runbook, and every metric it reads is one the
 * node exports.
 */
class PrometheusRulesTest {
    static final Path DIR = Repo.file("configs/prometheus");
    static final String RUNBOOK_PREFIX = "https://github.com/PR-CYBR/PR-CYBR-N0D3/blob/main/";

    @TempDir
    Path tmp;

    /** Every alerting rule, in file order. */
    static List<JsonNode> alerts(JsonNode rules) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode g : rules.path("groups")) {
            for (JsonNode r : g.path("rules")) if (r.has("alert")) out.add(r);
        }
        return out;
    }

    static Set<String> names(JsonNode rules) {
        Set<String> out = new LinkedHashSet<>();
        alerts(rules).forEach(r -> out.add(r.path("alert").asText()));
        return out;
    }

    @Test
    void promtoolCheckRulesAcceptsThemWithoutLintFindings() {
        Promtool.Result r = Promtool.run(DIR, "check", "rules", "alerts.yml");
        assertEquals(0, r.exit(), r.output());
        assertTrue(
                r.output()
                        .contains("SUCCESS: "
                                + alerts(Repo.yaml(DIR.resolve("alerts.yml"))).size() + " rules found"),
                r.output());
    }

    @Test
    void promtoolTestRulesPasses() {
        Promtool.Result r = Promtool.run(DIR, "test", "rules", "alerts.test.yml");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    @Test
    void everyAlertHasForASeverityASummaryAndARunbookIntoTheSops() {
        List<String> problems = new ArrayList<>();
        for (JsonNode r : alerts(Repo.yaml(DIR.resolve("alerts.yml")))) {
            String name = r.path("alert").asText();
            if (!name.startsWith("PrCybr")) problems.add(name + ": alert names start with PrCybr");
            if (!r.path("for").asText().matches("[0-9]+[smh]")) problems.add(name + ": no for:");
            if (!Set.of("warning", "critical")
                    .contains(r.path("labels").path("severity").asText()))
                problems.add(name + ": severity warning or critical");
            if (r.path("annotations").path("summary").asText().isBlank()) problems.add(name + ": no summary");
            String runbook = r.path("annotations").path("runbook_url").asText();
            if (!runbook.startsWith(RUNBOOK_PREFIX + ".specify/tasks/SOP-") || !runbook.contains("#")) {
                problems.add(name + ": runbook_url must point into an SOP section: " + runbook);
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The issue's list: telemetry stale, spool growing, samples dropped or dead-lettered, swarm membership lost, disk nearly full, container restarting. */
    @Test
    void theAlertsTheIssueAsksForAreThere() {
        Set<String> names = names(Repo.yaml(DIR.resolve("alerts.yml")));
        for (String n : List.of(
                "PrCybrTelemetryStale",
                "PrCybrTelemetrySpoolGrowing",
                "PrCybrTelemetrySamplesDropped",
                "PrCybrTelemetrySamplesDeadLettered",
                "PrCybrSwarmMembershipLost",
                "PrCybrDiskNearlyFull",
                "PrCybrContainerRestarting")) {
            assertTrue(names.contains(n), n + " in " + names);
        }
    }

    @Test
    void everyAlertHasAFiringAndASilentCase() {
        Map<String, boolean[]> cases = new LinkedHashMap<>();
        names(Repo.yaml(DIR.resolve("alerts.yml"))).forEach(n -> cases.put(n, new boolean[2]));
        for (JsonNode t : Repo.yaml(DIR.resolve("alerts.test.yml")).path("tests")) {
            for (JsonNode a : t.path("alert_rule_test")) {
                boolean[] seen = cases.get(a.path("alertname").asText());
                if (seen == null) continue;
                seen[a.path("exp_alerts").isEmpty() ? 1 : 0] = true;
            }
        }
        List<String> missing = new ArrayList<>();
        cases.forEach((n, seen) -> {
            if (!seen[0]) missing.add(n + ": no case where it fires");
            if (!seen[1]) missing.add(n + ": no case where it stays silent");
        });
        assertEquals(List.of(), missing);
    }

    /**
     * The cases have teeth: for each alert, a copy of the rules where it never fires fails a firing case of
     * that alert, and a copy where it always fires (at once) fails a silent case of it.
     */
    @Test
    void aRuleThatNeverOrAlwaysFiresFailsItsCases() throws Exception {
        JsonNode rules = Repo.yaml(DIR.resolve("alerts.yml"));
        Files.copy(DIR.resolve("alerts.test.yml"), tmp.resolve("alerts.test.yml"));
        List<String> toothless = new ArrayList<>();
        for (String name : names(rules)) {
            for (boolean always : new boolean[] {false, true}) {
                JsonNode mutant = rules.deepCopy();
                for (JsonNode r : alerts(mutant)) {
                    if (!r.path("alert").asText().equals(name)) continue;
                    ((ObjectNode) r).put("expr", always ? "vector(1)" : "vector(1) > 2");
                    if (always) ((ObjectNode) r).put("for", "0s");
                }
                Files.writeString(tmp.resolve("alerts.yml"), Repo.YAML.writeValueAsString(mutant));
                Promtool.Result r = Promtool.run(tmp, "test", "rules", "alerts.test.yml");
                boolean caught = r.exit() != 0
                        && failures(r.output()).stream()
                                .anyMatch(
                                        f -> f.contains("alertname: " + name + ",") && f.contains("exp:[],") == always);
                if (!caught)
                    toothless.add(
                            name + (always ? " firing always" : " never firing") + " passes the tests:\n" + r.output());
            }
        }
        assertEquals(List.of(), toothless);
    }

    /** promtool's failure blocks ("name: ...,\n alertname: X, time: T, \n exp:[...], got:[...]"), one per failed check. */
    static List<String> failures(String output) {
        List<String> out = new ArrayList<>();
        for (String block : output.split("\\n\\s*\\n"))
            if (block.contains("alertname: ")) out.add(block.replaceAll("\\s+", ""));
        return out.stream()
                .map(b -> b.replace("alertname:", "alertname: ").replace(",time:", ", time:"))
                .toList();
    }

    @Test
    void everyMetricTheRulesReadIsOneTheNodeExports() {
        Set<String> used = new TreeSet<>();
        for (JsonNode r : alerts(Repo.yaml(DIR.resolve("alerts.yml"))))
            used.addAll(ExportedMetrics.usedIn(r.path("expr").asText()));
        assertFalse(used.isEmpty());
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(ExportedMetrics.families());
        assertEquals(Set.of(), missing, "the rules read metrics lib/telemetry/PrometheusText does not export");
        Set<String> listed = ExportedMetrics.usedIn(Repo.read(DIR.resolve("alerts.yml"))
                .lines()
                .takeWhile(l -> l.startsWith("#"))
                .reduce("", (a, b) -> a + "\n" + b));
        assertEquals(used, listed, "the header comment of alerts.yml lists exactly the metrics the rules read");
    }

    /** The test series use only exported names too, so the cases describe what a node can really send. */
    @Test
    void theTestSeriesAreMetricsTheNodeExports() {
        Set<String> used = new TreeSet<>();
        for (JsonNode t : Repo.yaml(DIR.resolve("alerts.test.yml")).path("tests")) {
            for (JsonNode s : t.path("input_series"))
                used.addAll(ExportedMetrics.usedIn(s.path("series").asText()));
        }
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(ExportedMetrics.families());
        assertEquals(Set.of(), missing);
    }
}
