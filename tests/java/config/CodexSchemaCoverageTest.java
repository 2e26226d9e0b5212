package config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lib.config.Codex;
import lib.config.Settings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import support.Project;

/**
 * lib.config.Codex (what the code reads) and schemas/codex.schema.json (the contract) stay in step:
 * every record component is declared at the same path with a compatible type, every schema property
 * is a record component, objects are closed (additionalProperties false), and codex.yaml validates.
 */
class CodexSchemaCoverageTest {
    static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
    static JsonNode schema;

    @BeforeAll
    static void load() throws IOException {
        schema = new ObjectMapper()
                .readTree(Project.basedir().resolve("schemas/codex.schema.json").toFile());
    }

    /** Follows "$ref": "#/$defs/..." (local references only, as this schema uses). */
    static JsonNode deref(JsonNode node) {
        JsonNode n = node;
        for (int guard = 0; n.has("$ref") && guard < 10; guard++) {
            String ref = n.get("$ref").asText();
            assertTrue(ref.startsWith("#/"), "only local $ref expected, got " + ref);
            JsonNode target = schema.at(ref.substring(1));
            assertTrue(!target.isMissingNode(), "dangling $ref " + ref);
            n = target;
        }
        return n;
    }

    static Set<String> types(JsonNode s) {
        Set<String> t = new HashSet<>();
        JsonNode type = s.get("type");
        if (type == null && s.has("enum")) {
            for (JsonNode e : s.get("enum"))
                t.add(
                        e.isTextual()
                                ? "string"
                                : e.isIntegralNumber() ? "integer" : e.isNumber() ? "number" : "boolean");
        } else if (type != null && type.isArray()) {
            type.forEach(x -> t.add(x.asText()));
        } else if (type != null) {
            t.add(type.asText());
        }
        return t;
    }

    /** Walks type {@code t} against schema {@code s} at {@code path}, collecting every mismatch. */
    static void walk(Type t, JsonNode rawSchema, String path, List<String> problems) {
        JsonNode s = deref(rawSchema);
        if (t instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                if (!types(s).equals(Set.of("array")) || !s.has("items"))
                    problems.add(path + ": a List in Codex, the schema says " + types(s));
                else walk(args[0], s.get("items"), path + "[]", problems);
                return;
            }
            if (Map.class.isAssignableFrom(raw)) {
                if (args[0] != String.class) problems.add(path + ": map keys must be strings");
                JsonNode ap = s.get("additionalProperties");
                if (!types(s).equals(Set.of("object")) || ap == null || !ap.isObject()) {
                    problems.add(path
                            + ": a Map in Codex, the schema needs type object with an additionalProperties schema");
                } else {
                    walk(args[1], ap, path + ".*", problems);
                }
                return;
            }
            problems.add(path + ": unexpected generic type " + t);
            return;
        }
        Class<?> c = (Class<?>) t;
        if (c.isRecord()) {
            if (!types(s).equals(Set.of("object")))
                problems.add(path + ": a record in Codex, the schema says " + types(s));
            if (!s.path("additionalProperties").isBoolean()
                    || s.path("additionalProperties").asBoolean()) {
                problems.add(path + ": the schema must say additionalProperties: false");
            }
            JsonNode props = s.path("properties");
            Set<String> names = new HashSet<>();
            for (RecordComponent rc : c.getRecordComponents()) {
                String name = SNAKE.translate(rc.getName());
                names.add(name);
                String child = path.isEmpty() ? name : path + "." + name;
                if (!props.has(name))
                    problems.add(child + ": read by the code (" + c.getSimpleName() + "." + rc.getName()
                            + ") but not declared in the schema");
                else walk(rc.getGenericType(), props.get(name), child, problems);
            }
            for (Iterator<String> it = props.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!names.contains(name))
                    problems.add((path.isEmpty() ? name : path + "." + name)
                            + ": declared in the schema but no component of " + c.getSimpleName());
            }
            return;
        }
        Set<String> expected = c == String.class
                ? Set.of("string")
                : c == Boolean.class || c == boolean.class
                        ? Set.of("boolean")
                        : c == Integer.class || c == Long.class || c == int.class || c == long.class
                                ? Set.of("integer")
                                : c == Double.class || c == double.class
                                        ? Set.of("number", "integer")
                                        : c == Duration.class ? Set.of("string", "integer") : null;
        if (expected == null) {
            problems.add(path + ": no schema type known for " + c.getName());
        } else if (types(s).isEmpty() || !expected.containsAll(types(s))) {
            problems.add(path + ": " + c.getSimpleName() + " in Codex, the schema allows " + types(s));
        }
        if (c == Duration.class
                && !Set.of("#/$defs/duration", "#/$defs/positiveDuration")
                        .contains(rawSchema.path("$ref").asText())) {
            problems.add(path + ": a Duration should use $ref #/$defs/duration (or #/$defs/positiveDuration)");
        }
    }

    @Test
    void codexRecordsAndSchemaDeclareTheSameFields() {
        List<String> problems = new ArrayList<>();
        walk(Codex.class, schema, "", problems);
        assertTrue(
                problems.isEmpty(), "Codex and schemas/codex.schema.json differ:\n  " + String.join("\n  ", problems));
    }

    /** The walk itself can fail: a record with a field the schema lacks is reported. */
    @Test
    void anUndeclaredComponentIsReported() {
        record Extra(
                String name,
                String version,
                String description,
                String repository,
                String maintainer,
                String nodeName,
                Map<String, String> labels,
                Integer colour) {}
        List<String> problems = new ArrayList<>();
        walk(Extra.class, schema.at("/properties/metadata"), "metadata", problems);
        assertEquals(
                List.of("metadata.colour: read by the code (Extra.colour) but not declared in the schema"), problems);
    }

    @Test
    void aSchemaPropertyWithoutComponentIsReported() {
        record Short(String name) {}
        List<String> problems = new ArrayList<>();
        walk(Short.class, schema.at("/properties/metadata"), "metadata", problems);
        assertTrue(
                problems.contains("metadata.node_name: declared in the schema but no component of Short"),
                problems.toString());
    }

    @Test
    void everyObjectInTheSchemaIsClosed() {
        List<String> open = new ArrayList<>();
        closed(schema, "", open);
        assertTrue(open.isEmpty(), "objects without additionalProperties false: " + open);
    }

    static void closed(JsonNode n, String ptr, List<String> open) {
        everySubschema(n, ptr, (s, p) -> {
            if (types(s).contains("object")
                    && s.has("properties")
                    && !s.path("additionalProperties").equals(com.fasterxml.jackson.databind.node.BooleanNode.FALSE)) {
                open.add(p.isEmpty() ? "/" : p);
            }
        });
    }

    /** Calls {@code visit} with every object node of the schema and its JSON pointer. */
    static void everySubschema(JsonNode n, String ptr, java.util.function.BiConsumer<JsonNode, String> visit) {
        if (!n.isObject()) return;
        visit.accept(n, ptr);
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            everySubschema(e.getValue(), ptr + "/" + e.getKey(), visit);
        }
    }

    /** "Numbers out of range are errors": every number a codex.yaml can hold has both bounds in the schema. */
    @Test
    void everyNumberInTheSchemaHasARange() {
        List<String> open = new ArrayList<>();
        bounded(schema, "", open);
        assertTrue(open.isEmpty(), "numbers without minimum and maximum: " + open);
    }

    @Test
    void aNumberWithoutBothBoundsIsReported() throws IOException {
        List<String> open = new ArrayList<>();
        bounded(
                new ObjectMapper()
                        .readTree(
                                "{\"properties\": {\"a\": {\"type\": \"integer\", \"minimum\": 0}, \"b\": {\"type\": \"number\","
                                        + " \"minimum\": 0, \"maximum\": 1}, \"c\": {\"type\": [\"string\", \"integer\"]}}}"),
                "",
                open);
        assertEquals(List.of("/properties/a", "/properties/c"), open);
    }

    static void bounded(JsonNode n, String ptr, List<String> open) {
        everySubschema(n, ptr, (s, p) -> {
            Set<String> t = types(s);
            if ((t.contains("integer") || t.contains("number")) && !(s.has("minimum") && s.has("maximum"))) open.add(p);
        });
    }

    @Test
    void codexYamlValidatesAgainstTheSchema() throws IOException {
        JsonNode doc = new ObjectMapper(new YAMLFactory())
                .readTree(Files.readString(Project.basedir().resolve("codex.yaml")));
        Set<ValidationMessage> errors = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(schema)
                .validate(doc);
        assertTrue(errors.isEmpty(), "codex.yaml does not validate: " + errors);
    }

    @Test
    void codexYamlLoadsAndEveryTopLevelSectionIsPresent() {
        Codex c = Settings.fromText("codex.yaml", "{}", Map.of()).codex();
        for (RecordComponent rc : Codex.class.getRecordComponents()) {
            try {
                assertTrue(
                        rc.getAccessor().invoke(c) != null,
                        "codex.yaml has no " + SNAKE.translate(rc.getName()) + " section");
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void environmentVariablesNamedInTheSchemaAreThoseSettingsReads() {
        Set<String> inSchema = new HashSet<>();
        var m = java.util.regex.Pattern.compile("Env: ([A-Z_]+)").matcher(schema.toString());
        while (m.find()) inSchema.add(m.group(1));
        assertTrue(
                Settings.ENV.containsAll(inSchema),
                "schema descriptions name variables Settings does not read: " + inSchema);
    }
}
