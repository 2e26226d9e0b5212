package lib.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import lib.cli.N0d3Exception;
import lib.json.Json;

/**
 * Reads a YAML document against a JSON Schema kept on the classpath, and reports the first problem
 * as one line: {@code FILE:LINE:COLUMN: field.path: what was expected}, exit 2. Used for codex.yaml
 * and the overlay configs alike. Besides the schema: a file holds one YAML document (a second one after
 * {@code ---} would be ignored), and numbers are finite ({@code 1.0e999} is not a setting).
 */
public final class CodexLoader {
    public static final String CODEX_SCHEMA = "schemas/codex.schema.json";
    /** Duplicate keys are an error (YAML 1.2 requires unique keys; silently keeping the last one hides mistakes). */
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static final ObjectMapper MAPPER = new ObjectMapper(YAML)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .registerModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()));
    private static final Map<String, JsonSchema> SCHEMAS = new HashMap<>();
    private static final Map<String, SchemaHints> HINTS = new HashMap<>();

    private CodexLoader() {}

    /** A parsed document: the tree and where each JSON pointer starts in the text. */
    public record Document(String name, JsonNode tree, Map<String, JsonLocation> locations) {}

    /** Parses YAML text; broken YAML is a usage error with line:column. Empty text gives an empty object. */
    public static Document parse(String name, String text) {
        Map<String, JsonLocation> locs = new HashMap<>();
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
            try (JsonParser p = YAML.createParser(text)) {
                if (p.nextToken() != null) {
                    walk(name, p, "", locs);
                    onlyOneDocument(name, text, p);
                }
            }
        } catch (JsonProcessingException e) {
            throw N0d3Exception.usage(yamlWhere(name, e) + "invalid YAML: " + yamlProblem(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) tree = MAPPER.createObjectNode();
        if (!tree.isObject())
            throw N0d3Exception.usage(name + ":1:1: expected a mapping at the top level, got " + kind(tree));
        return new Document(name, tree, locs);
    }

    /** Validates against the named classpath schema; the first problem (in file order) is thrown. */
    public static void validate(Document doc, String schemaResource) {
        List<ValidationMessage> errors = new ArrayList<>(schema(schemaResource).validate(doc.tree()));
        if (errors.isEmpty()) return;
        errors.sort(Comparator.comparingInt((ValidationMessage m) -> line(doc, pointer(m)))
                .thenComparing(m -> pointer(m)));
        ValidationMessage first = errors.get(0);
        String ptr = pointer(first);
        String more = errors.size() > 1
                ? " (and " + (errors.size() - 1) + " more problem" + (errors.size() > 2 ? "s" : "") + ")"
                : "";
        throw N0d3Exception.usage(where(doc.name(), doc.locations().get(ptr))
                + describe(first, ptr, doc.tree().at(ptr), hints(schemaResource))
                + more);
    }

    /** Binds a validated tree to a type (records use the snake_case names of the file). */
    public static <T> T bind(Document doc, JsonNode tree, Class<T> type) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            String ptr =
                    e instanceof com.fasterxml.jackson.databind.JsonMappingException jm ? pointerOf(jm.getPath()) : "";
            throw N0d3Exception.usage(where(doc.name(), doc.locations().get(ptr)) + field(ptr) + ": "
                    + firstLine(e.getOriginalMessage()));
        }
    }

    /** Deep merge: objects key by key, anything else (scalars, lists) replaced by the overlay's value. */
    public static JsonNode merge(JsonNode base, JsonNode overlay) {
        if (!(base instanceof ObjectNode b) || !overlay.isObject()) return overlay.deepCopy();
        ObjectNode out = b.deepCopy();
        for (Map.Entry<String, JsonNode> e : overlay.properties()) {
            JsonNode existing = out.get(e.getKey());
            out.set(e.getKey(), existing == null ? e.getValue().deepCopy() : merge(existing, e.getValue()));
        }
        return out;
    }

    public static String readResource(String resource) {
        return Resources.text(resource);
    }

    private static synchronized JsonSchema schema(String resource) {
        return SCHEMAS.computeIfAbsent(resource, r -> {
            SchemaValidatorsConfig cfg = SchemaValidatorsConfig.builder()
                    .pathType(PathType.JSON_POINTER)
                    .build();
            JsonSchemaFactory f = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
            try {
                return f.getSchema(Json.parse(readResource(r)), cfg);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static synchronized SchemaHints hints(String resource) {
        return HINTS.computeIfAbsent(resource, r -> {
            try {
                return new SchemaHints(Json.parse(readResource(r)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void walk(String name, JsonParser p, String ptr, Map<String, JsonLocation> locs) throws IOException {
        locs.putIfAbsent(ptr, p.currentTokenLocation());
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String child = ptr + "/" + escape(p.currentName());
                locs.put(child, p.currentTokenLocation());
                p.nextToken();
                walk(name, p, child, locs);
            }
        } else if (t == JsonToken.START_ARRAY) {
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                walk(name, p, ptr + "/" + i++, locs);
            }
        } else if (t == JsonToken.VALUE_NUMBER_FLOAT && !Double.isFinite(p.getDoubleValue())) {
            // 1.0e999 reads as Infinity: no setting takes it, and a schema maximum would not see it
            throw N0d3Exception.usage(where(name, p.currentTokenLocation()) + field(ptr)
                    + ": expected a finite number, got " + p.getText() + " (out of range)");
        }
    }

    /**
     * After the first document: only empty ones may follow (a trailing {@code ---}). Anything else would be
     * silently ignored by readTree, so it is refused, pointing at its {@code ---} line. Cheap: the parser is
     * already at the end of the first document, and one more token is all a single-document file costs.
     */
    private static void onlyOneDocument(String name, String text, JsonParser p) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != null) {
            // "---" and nothing (or only comments) after it: an empty scalar, null or "" depending on the factory's
            // features
            if (t == JsonToken.VALUE_NULL
                    || (t == JsonToken.VALUE_STRING && p.getText().isEmpty())) continue;
            JsonLocation at = p.currentTokenLocation();
            String first =
                    t == JsonToken.START_OBJECT && p.nextToken() == JsonToken.FIELD_NAME ? p.currentName() : null;
            int marker = markerLine(text, at.getLineNr());
            String where = marker > 0 ? name + ":" + marker + ":1: " : where(name, at);
            throw N0d3Exception.usage(
                    where + "a second YAML document starts here" + (first == null ? "" : " (with " + first + ")")
                            + ", which would be ignored: a config file is one document; merge it into the first or remove it");
        }
    }

    /** The last line at or before {@code line} (1-based) that opens a document ("---"), or 0. */
    private static int markerLine(String text, int line) {
        String[] lines = text.split("\\R", -1);
        for (int i = Math.min(line, lines.length); i >= 1; i--) {
            String l = lines[i - 1];
            if (l.startsWith("---") && (l.length() == 3 || l.charAt(3) == ' ' || l.charAt(3) == '\t')) return i;
        }
        return 0;
    }

    private static String pointer(ValidationMessage m) {
        String base =
                m.getInstanceLocation() == null ? "" : m.getInstanceLocation().toString();
        if (base.equals("/")) base = "";
        String prop = m.getProperty();
        if (prop != null
                && Set.of("additionalProperties", "unevaluatedProperties").contains(m.getType())) {
            return base + "/" + escape(prop);
        }
        return base;
    }

    private static int line(Document doc, String ptr) {
        JsonLocation l = doc.locations().get(ptr);
        return l == null ? 0 : l.getLineNr();
    }

    /**
     * One clause for a schema error. A value refused inside a {@code $defs} entry that has a description
     * (durations, sizes, ...) is described by it: "expected a duration above zero, ...". Unknown keys get
     * {@link SchemaHints#unknownKey}'s hint; numbers out of range say the bound and the value.
     */
    private static String describe(ValidationMessage m, String ptr, JsonNode value, SchemaHints hints) {
        String got = value == null || value.isMissingNode() || value.isContainerNode() ? "" : ", got " + value;
        String type = m.getType();
        Object[] args = m.getArguments() == null ? new Object[0] : m.getArguments();
        String fragment = m.getSchemaLocation() == null || m.getSchemaLocation().getFragment() == null
                ? null
                : m.getSchemaLocation().getFragment().toString();
        String expected = Set.of("pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
                        .contains(type)
                ? hints.expected(fragment)
                : null;
        if (expected != null) return field(ptr) + ": expected " + expected + got;
        return switch (type) {
            case "additionalProperties", "unevaluatedProperties" -> {
                String hint = hints.unknownKey(m.getProperty() == null ? "" : m.getProperty(), fragment);
                yield field(ptr) + ": unknown field" + (hint.isEmpty() ? "" : "; " + hint);
            }
            case "required" -> field(ptr) + ": missing required field '" + m.getProperty() + "'";
            case "enum" -> field(ptr) + ": expected one of " + (args.length > 0 ? args[0] : "the allowed values") + got;
            case "type" ->
                field(ptr) + ": expected " + (args.length > 1 ? args[1] : "another type") + ", got "
                        + (args.length > 0 ? args[0] : "something else") + (got.isEmpty() ? "" : " " + value);
            case "pattern" ->
                field(ptr) + ": does not match the expected form " + (args.length > 0 ? args[0] : "") + got;
            case "maximum" ->
                field(ptr) + ": expected at most " + (args.length > 0 ? args[0] : "the maximum") + got
                        + " (out of range)";
            case "minimum" ->
                field(ptr) + ": expected at least " + (args.length > 0 ? args[0] : "the minimum") + got
                        + " (out of range)";
            default -> field(ptr) + ": " + stripPath(m.getMessage());
        };
    }

    private static String stripPath(String msg) {
        int i = msg.indexOf(": ");
        return i >= 0 && (msg.startsWith("/") || msg.startsWith("$")) ? msg.substring(i + 2) : msg;
    }

    /** "/capabilities/swarm/managers/0" → "capabilities.swarm.managers[0]". */
    public static String field(String ptr) {
        if (ptr == null || ptr.isEmpty()) return "(top level)";
        StringBuilder sb = new StringBuilder();
        for (String part : ptr.substring(1).split("/")) {
            if (part.matches("[0-9]+")) sb.append('[').append(part).append(']');
            else
                sb.append(sb.length() == 0 ? "" : ".")
                        .append(part.replace("~1", "/").replace("~0", "~"));
        }
        return sb.toString();
    }

    private static String pointerOf(List<com.fasterxml.jackson.databind.JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (var ref : path) {
            sb.append('/')
                    .append(ref.getFieldName() != null ? escape(ref.getFieldName()) : String.valueOf(ref.getIndex()));
        }
        return sb.toString();
    }

    static String where(String name, JsonLocation l) {
        if (l == null || l.getLineNr() < 1) return name + ": ";
        return name + ":" + l.getLineNr() + ":" + l.getColumnNr() + ": ";
    }

    private static String escape(String s) {
        return s.replace("~", "~0").replace("/", "~1");
    }

    private static String kind(JsonNode n) {
        return n.isArray()
                ? "a list"
                : n.isTextual()
                        ? "a string"
                        : n.isNumber()
                                ? "a number"
                                : n.isBoolean()
                                        ? "a boolean"
                                        : n.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    private static final java.util.regex.Pattern SNAKE_MARK =
            java.util.regex.Pattern.compile("in 'reader', line (\\d+), column (\\d+)");

    /**
     * Where a YAML syntax error is. Jackson reports where its parser stood (often the token before);
     * SnakeYAML's message ends with the problem mark ("in 'reader', line L, column C"), 1-based: use
     * that when present.
     */
    static String yamlWhere(String name, JsonProcessingException e) {
        java.util.regex.Matcher m = SNAKE_MARK.matcher(e.getOriginalMessage() == null ? "" : e.getOriginalMessage());
        String at = null;
        while (m.find()) at = m.group(1) + ":" + m.group(2);
        return at != null ? name + ":" + at + ": " : where(name, e.getLocation());
    }

    /** SnakeYAML's messages span lines (context, snippet, problem); keep the words, drop the snippets. */
    static String yamlProblem(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder();
        for (String line : s.split("\\R")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("in 'reader'") || t.startsWith("^") || line.startsWith("    ")) continue;
            sb.append(sb.length() == 0 ? "" : "; ").append(t);
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return (i < 0 ? s : s.substring(0, i)).strip();
    }

    static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            try {
                return Units.duration(p.getValueAsString());
            } catch (IllegalArgumentException e) {
                throw com.fasterxml.jackson.databind.exc.InvalidFormatException.from(
                        p, e.getMessage(), p.getValueAsString(), Duration.class);
            }
        }
    }
}
