package docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import configs.Repo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lib.config.Settings;
import org.junit.jupiter.api.Test;

/**
 * The README's "Configuration reference" lists exactly the keys of schemas/codex.schema.json (objects and
 * leaves, list items as {@code []}), each with the environment variable the schema names for it; its
 * "Environment variables" table lists exactly {@link Settings#ENV}.
 */
class ConfigReferenceTest {
    static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|([^|]*)\\|");
    static final Pattern ENV_IN_DESCRIPTION = Pattern.compile("Env: ([A-Z_]+)");
    static final Pattern CODE = Pattern.compile("`([A-Z][A-Z0-9_]*)`");

    /** Rows of the table under the given "## " heading: first cell's code span → second cell. */
    static Map<String, String> table(String markdown, String heading) {
        Map<String, String> rows = new LinkedHashMap<>();
        boolean in = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("## ")) in = line.equals("## " + heading);
            if (!in) continue;
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                String previous = rows.put(m.group(1), m.group(2).strip());
                assertTrue(previous == null, "documented twice under " + heading + ": " + m.group(1));
            }
        }
        return rows;
    }

    /** Every key of the schema, dotted, with the environment variable its description names (or ""). */
    static Map<String, String> schemaKeys(JsonNode schema) {
        Map<String, String> out = new TreeMap<>();
        walk(schema, schema, "", out);
        return out;
    }

    private static void walk(JsonNode root, JsonNode node, String path, Map<String, String> out) {
        JsonNode n = resolve(root, node);
        if (!path.isEmpty()) {
            Matcher m = ENV_IN_DESCRIPTION.matcher(node.path("description").asText() + " "
                    + n.path("description").asText());
            out.put(path, m.find() ? m.group(1) : "");
        }
        n.path("properties")
                .properties()
                .forEach(e -> walk(root, e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
        JsonNode items = resolve(root, n.path("items"));
        items.path("properties").properties().forEach(e -> walk(root, e.getValue(), path + "[]." + e.getKey(), out));
    }

    private static JsonNode resolve(JsonNode root, JsonNode n) {
        return n.has("$ref") ? root.at(n.get("$ref").asText().substring(1)) : n;
    }

    static String readme() {
        return Repo.read(Repo.file("README.md"));
    }

    @Test
    void everySchemaKeyIsDocumentedAndEveryDocumentedKeyExists() {
        Map<String, String> schema = schemaKeys(Repo.json(Repo.file("schemas/codex.schema.json")));
        Map<String, String> documented = table(readme(), "Configuration reference");
        assertTrue(schema.size() > 60, "schema walk found " + schema.size() + " keys");
        Set<String> undocumented = new TreeSet<>(schema.keySet());
        undocumented.removeAll(documented.keySet());
        Set<String> unknown = new TreeSet<>(documented.keySet());
        unknown.removeAll(schema.keySet());
        assertEquals(Set.of(), undocumented, "schema keys missing from README's Configuration reference");
        assertEquals(Set.of(), unknown, "README documents keys that schemas/codex.schema.json does not have");
    }

    @Test
    void theEnvOverrideColumnMatchesTheSchemaAndSettings() {
        Map<String, String> schema = schemaKeys(Repo.json(Repo.file("schemas/codex.schema.json")));
        List<String> wrong = new ArrayList<>();
        table(readme(), "Configuration reference").forEach((key, envCell) -> {
            Matcher m = CODE.matcher(envCell);
            String env = m.find() ? m.group(1) : "";
            String expected = schema.getOrDefault(key, "");
            if (!env.equals(expected))
                wrong.add(key + ": README says '" + env + "', the schema says '" + expected + "'");
            if (!env.isEmpty() && !Settings.ENV.contains(env)) wrong.add(key + ": " + env + " is not read by Settings");
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void theEnvironmentTableListsExactlyWhatSettingsReads() {
        Set<String> documented =
                new TreeSet<>(table(readme(), "Environment variables").keySet());
        assertEquals(new TreeSet<>(Settings.ENV), documented);
    }

    @Test
    void aKeyMissingFromTheTableIsFound() {
        String broken = readme().replaceFirst("(?m)^\\| `capabilities\\.swarm\\.probe_timeout` .*\\n", "")
                .replace("| `build.version` |", "| `build.versions` |");
        Map<String, String> documented = table(broken, "Configuration reference");
        Set<String> schema =
                schemaKeys(Repo.json(Repo.file("schemas/codex.schema.json"))).keySet();
        assertTrue(schema.contains("capabilities.swarm.probe_timeout")
                && !documented.containsKey("capabilities.swarm.probe_timeout"));
        assertTrue(documented.containsKey("build.versions") && !schema.contains("build.versions"));
    }
}
