package docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import configs.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The runbook_url of every alert in configs/prometheus/alerts.yml, and the links of the Grafana dashboard,
 * point at a file of this repository (on GitHub's main branch) and at a heading that exists in it, by the
 * same anchor rules as {@link LinkChecker}.
 */
class RunbookLinksTest {
    static final String PREFIX = "https://github.com/PR-CYBR/PR-CYBR-N0D3/blob/main/";
    static final Pattern URL = Pattern.compile("https://github\\.com/PR-CYBR/PR-CYBR-N0D3/blob/main/[^\"\\s]+");

    /** Null when the URL's file and anchor exist, else what is wrong. */
    static String problem(String url) {
        if (!url.startsWith(PREFIX)) return url + ": not a link into this repository's main branch";
        String rest = url.substring(PREFIX.length());
        int hash = rest.indexOf('#');
        Path file = Repo.file(hash < 0 ? rest : rest.substring(0, hash));
        if (!Files.isRegularFile(file)) return url + ": no such file " + file;
        if (hash < 0) return null;
        String anchor = rest.substring(hash + 1);
        return LinkChecker.anchorsOf(file).contains(anchor) ? null : url + ": no heading with anchor #" + anchor;
    }

    @Test
    void everyAlertsRunbookIsASectionOfAnSop() {
        List<String> problems = new ArrayList<>();
        int n = 0;
        for (JsonNode g : Repo.yaml(Repo.file("configs/prometheus/alerts.yml")).path("groups")) {
            for (JsonNode r : g.path("rules")) {
                if (!r.has("alert")) continue;
                n++;
                String p = problem(r.path("annotations").path("runbook_url").asText());
                if (p != null) problems.add(r.path("alert").asText() + ": " + p);
            }
        }
        assertTrue(n >= 7, n + " alerts");
        assertEquals(List.of(), problems);
    }

    @Test
    void theDashboardsLinksResolve() {
        Matcher m = URL.matcher(Repo.read(Repo.file("configs/grafana/pr-cybr-n0d3.json")));
        List<String> problems = new ArrayList<>();
        int n = 0;
        while (m.find()) {
            n++;
            String p = problem(m.group());
            if (p != null) problems.add(p);
        }
        assertTrue(n >= 1, "the dashboard links to its runbooks");
        assertEquals(List.of(), problems);
    }

    @Test
    void aMissingAnchorIsReported() {
        assertEquals(
                PREFIX
                        + ".specify/tasks/SOP-005-troubleshooting-guide.md#no-such-alert: no heading with anchor #no-such-alert",
                problem(PREFIX + ".specify/tasks/SOP-005-troubleshooting-guide.md#no-such-alert"));
        assertTrue(problem(PREFIX + ".specify/tasks/SOP-999.md#x").contains("no such file"));
    }
}
