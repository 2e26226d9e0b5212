package lib.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a JSON Schema knows that makes an error message useful: the nearest known key for an unknown one
 * (as picocli suggests options: "did you mean 'management'?", or the same key where it belongs, "did you
 * mean capabilities.swarm?") and the expected form a {@code $defs} entry describes. Used on the error path
 * only; it never decides whether a document is valid.
 */
final class SchemaHints {
    private final JsonNode schema;

    SchemaHints(JsonNode schema) {
        this.schema = schema;
    }

    /**
     * The hint for an unknown {@code key} refused by the additionalProperties keyword at {@code fragment}
     * (a JSON pointer into the schema, such as {@code /$defs/resourceProfile/additionalProperties}):
     * "did you mean 'X'?" for a close sibling, "did you mean a.b.X?" for the same key elsewhere, else the
     * keys allowed here. Empty when the schema says nothing useful.
     */
    String unknownKey(String key, String fragment) {
        JsonNode here = parent(fragment);
        List<String> siblings = new ArrayList<>();
        here.path("properties").fieldNames().forEachRemaining(siblings::add);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String s : siblings) {
            int d = distance(normal(key), normal(s));
            if (d < bestDistance) {
                best = s;
                bestDistance = d;
            }
        }
        if (best != null && bestDistance <= tolerance(key, best)) return "did you mean '" + best + "'?";
        List<String> elsewhere = new ArrayList<>();
        keys(schema, "", elsewhere, 0);
        List<String> same = elsewhere.stream()
                .filter(p -> normal(p.substring(p.lastIndexOf('.') + 1)).equals(normal(key)))
                .toList();
        if (!same.isEmpty() && same.size() <= 3) return "did you mean " + String.join(" or ", same) + "?";
        if (!siblings.isEmpty()) return "expected one of: " + String.join(", ", siblings);
        return "";
    }

    /**
     * The description of the {@code $defs} entry a keyword at {@code fragment} belongs to, to follow
     * "expected" ("A duration: ..." reads "a duration: ..."; a closing period dropped), or null.
     */
    String expected(String fragment) {
        if (fragment == null || !fragment.startsWith("/$defs/")) return null;
        String[] parts = fragment.split("/");
        String d = schema.path("$defs")
                .path(parts[2])
                .path("description")
                .asText("")
                .strip();
        if (d.isEmpty()) return null;
        if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        boolean acronym = d.length() > 1 && Character.isUpperCase(d.charAt(1));
        return acronym ? d : Character.toLowerCase(d.charAt(0)) + d.substring(1);
    }

    /** The schema object holding the keyword at {@code fragment} ("/properties/metadata/additionalProperties" → metadata's). */
    private JsonNode parent(String fragment) {
        if (fragment == null) return schema;
        int i = fragment.lastIndexOf('/');
        return i <= 0 ? schema : schema.at(fragment.substring(0, i));
    }

    /** Every key path of the schema ("capabilities.swarm.role"), following local $refs and list items. */
    private void keys(JsonNode node, String path, List<String> out, int depth) {
        if (depth > 12) return;
        JsonNode n = node.has("$ref") ? schema.at(node.get("$ref").asText().substring(1)) : node;
        for (Map.Entry<String, JsonNode> e : n.path("properties").properties()) {
            String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            out.add(child);
            keys(e.getValue(), child, out, depth + 1);
        }
        if (n.has("items")) keys(n.get("items"), path + "[]", out, depth + 1);
    }

    /** node-name, nodeName and node_name are one key to a reader. */
    private static String normal(String s) {
        return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** How many edits still read as a typo: 1 for short keys, about a quarter of a long one, at most 3. */
    private static int tolerance(String a, String b) {
        return Math.min(3, Math.max(1, Math.max(a.length(), b.length()) / 4));
    }

    /** Edit distance with adjacent transpositions (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
