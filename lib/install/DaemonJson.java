package lib.install;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lib.cli.N0d3Exception;
import lib.json.Json;

/**
 * /etc/docker/daemon.json, merged: the operator's keys are kept, the installer adds only the keys it needs
 * (log rotation, an MTU, metrics-addr) and remembers which ones it set and to what. A key is the
 * installer's to update or remove only while it still holds the value the installer wrote; a value the
 * operator set (before or after) is never overwritten, only reported. Keys are dotted paths one level
 * deep at most ("log-opts.max-size"). A file that is not valid JSON is refused, never overwritten.
 */
public final class DaemonJson {
    public static final String PATH = "/etc/docker/daemon.json";
    public static final int MODE = 0644;
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(
                    Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"));

    private DaemonJson() {}

    /** The outcome of a merge: the new document, the keys that are now the installer's, and what was kept. */
    public record Merge(ObjectNode result, Map<String, JsonNode> ours, List<String> kept) {}

    /**
     * Parses the current file (null or blank: an empty object, as dockerd reads it). Anything else that is
     * not a JSON object is a usage error naming the file, line and column; the file is left alone.
     */
    public static ObjectNode parse(String shownPath, byte[] bytes) {
        if (bytes == null) return Json.object();
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) return Json.object();
        JsonNode n;
        try {
            n = Json.parse(text);
        } catch (Json.Malformed e) {
            String where = e.line() < 0 ? shownPath : shownPath + ":" + e.line() + ":" + e.column();
            throw N0d3Exception.usage(where + ": not valid JSON (" + e.reason()
                    + "); refusing to change it: fix it or move it aside, then run again");
        }
        if (!(n instanceof ObjectNode o)) {
            throw N0d3Exception.usage(shownPath + ": expected a JSON object at the top level; refusing to change it");
        }
        return o;
    }

    /**
     * Merges {@code desired} into {@code current}. {@code previouslyOurs} is what the installer wrote last
     * time (from the install state): only those keys, still holding those values, may be changed or removed.
     */
    public static Merge merge(ObjectNode current, Map<String, JsonNode> desired, Map<String, JsonNode> previouslyOurs) {
        ObjectNode out = current.deepCopy();
        Map<String, JsonNode> ours = new LinkedHashMap<>();
        List<String> kept = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : desired.entrySet()) {
            String key = e.getKey();
            JsonNode want = e.getValue();
            JsonNode have = get(out, key);
            JsonNode wrote = previouslyOurs.get(key);
            if (have == null) {
                set(out, key, want);
                ours.put(key, want);
            } else if (have.equals(want)) {
                if (wrote != null) ours.put(key, want);
            } else if (wrote != null && wrote.equals(have)) {
                set(out, key, want);
                ours.put(key, want);
            } else {
                kept.add(key + " = " + Json.write(have) + " (yours; install.java would set " + Json.write(want) + ")");
            }
        }
        for (Map.Entry<String, JsonNode> e : previouslyOurs.entrySet()) {
            if (desired.containsKey(e.getKey())) continue;
            JsonNode have = get(out, e.getKey());
            if (have != null && have.equals(e.getValue())) remove(out, e.getKey());
        }
        return new Merge(out, ours, kept);
    }

    /** Removes the installer's keys that still hold the values it wrote (uninstall). */
    public static ObjectNode unmerge(ObjectNode current, Map<String, JsonNode> ours) {
        ObjectNode out = current.deepCopy();
        for (Map.Entry<String, JsonNode> e : ours.entrySet()) {
            JsonNode have = get(out, e.getKey());
            if (have != null && have.equals(e.getValue())) remove(out, e.getKey());
        }
        return out;
    }

    /** Two-space indentation, "key": value, a final newline: the layout of Docker's documentation. */
    public static String render(ObjectNode doc) {
        return Json.pretty(doc, PRETTY) + "\n";
    }

    static JsonNode get(ObjectNode doc, String key) {
        int dot = key.indexOf('.');
        if (dot < 0) return doc.get(key);
        JsonNode parent = doc.get(key.substring(0, dot));
        return parent == null || !parent.isObject() ? null : parent.get(key.substring(dot + 1));
    }

    static void set(ObjectNode doc, String key, JsonNode value) {
        int dot = key.indexOf('.');
        if (dot < 0) {
            doc.set(key, value);
            return;
        }
        JsonNode parent = doc.get(key.substring(0, dot));
        ObjectNode p = parent instanceof ObjectNode o ? o : doc.putObject(key.substring(0, dot));
        p.set(key.substring(dot + 1), value);
    }

    static void remove(ObjectNode doc, String key) {
        int dot = key.indexOf('.');
        if (dot < 0) {
            doc.remove(key);
            return;
        }
        String head = key.substring(0, dot);
        if (doc.get(head) instanceof ObjectNode p) {
            p.remove(key.substring(dot + 1));
            if (p.isEmpty()) doc.remove(head);
        }
    }
}
