package lib.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Collection;
import java.util.Map;

/**
 * JSON text to and from Jackson {@link JsonNode} trees with jackson-core's streaming parser and generator
 * only, no {@code ObjectMapper}; results are those of {@code ObjectMapper}'s defaults ({@code readTree},
 * {@code writeValueAsBytes}, the default pretty printer for {@link #pretty}), which the tests check on a corpus.
 * Unlike {@code readTree}, trailing content and an empty input are errors ({@link Malformed}); a {@code POJONode}
 * is an IllegalArgumentException. Use this, not {@code JsonNode.toString()}, which starts a mapper.
 * Why, and the exact rules: docs/decisions/telemetry-cost.md.
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Input that is not one JSON value; the message is one line with the line and column. */
    public static final class Malformed extends IOException {
        private final int line;
        private final int column;
        private final String reason;

        Malformed(String message, String reason, int line, int column, Throwable cause) {
            super(message, cause);
            this.line = line;
            this.column = column;
            this.reason = reason;
        }

        static Malformed at(String reason, int line, int column, Throwable cause) {
            return new Malformed(
                    "invalid JSON at line " + line + ", column " + column + ": " + reason, reason, line, column, cause);
        }

        /** What is wrong, without where (for a message that names the place its own way: FILE:LINE:COL). */
        public String reason() {
            return reason;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }
    }

    private Json() {}

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** An array of these strings, as {@code ObjectMapper.valueToTree} makes of a list of them. */
    public static ArrayNode array(Collection<String> items) {
        ArrayNode a = NODES.arrayNode(items.size());
        items.forEach(a::add);
        return a;
    }

    /** Parses UTF-8 (or UTF-16/32, detected as Jackson does) bytes holding exactly one JSON value. */
    public static JsonNode parse(byte[] json) throws Malformed {
        return read(json, null);
    }

    /**
     * A streaming parser over UTF-8 bytes, for a reader that takes a few fields of a large answer without building
     * its tree (the container list of every telemetry sample: {@code lib/docker/ListedContainer}).
     */
    public static JsonParser parser(byte[] json) throws IOException {
        return FACTORY.createParser(json);
    }

    /** Parses a string holding exactly one JSON value. */
    public static JsonNode parse(String json) throws Malformed {
        return read(null, json);
    }

    /**
     * The one value of {@code bytes}, else of {@code text}. (No lambdas on this path, nor in {@link #emit}'s callers:
     * a lambda's first call costs a cold JVM ~0.5 ms of CPU to link, docs/decisions/telemetry-cost.md.)
     */
    private static JsonNode read(byte[] bytes, String text) throws Malformed {
        try (JsonParser p = bytes != null ? FACTORY.createParser(bytes) : FACTORY.createParser(text)) {
            return parse(p);
        } catch (Malformed e) {
            throw e;
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    private static JsonNode parse(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) throw new Malformed("no JSON value (empty input)", "no JSON value (empty input)", 1, 1, null);
        JsonNode root = value(p, t);
        JsonToken extra = p.nextToken();
        if (extra != null) {
            var at = p.currentTokenLocation();
            throw Malformed.at(
                    "unexpected " + describe(p, extra) + " after the JSON value",
                    at.getLineNr(),
                    at.getColumnNr(),
                    null);
        }
        return root;
    }

    private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    o.replace(
                            name,
                            value(p, p.nextToken())); // a repeated key: first position, last value (readTree's way)
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    a.add(value(p, e));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new IllegalStateException(
                        "the parser gave " + t + " where a value starts"); // JsonParser reports such input itself
        }
    }

    private static String describe(JsonParser p, JsonToken t) throws IOException {
        return t.isScalarValue() || t == JsonToken.FIELD_NAME ? "'" + p.getText() + "'" : "'" + t.asString() + "'";
    }

    private static Malformed malformed(IOException e) {
        if (e instanceof JsonProcessingException j && j.getLocation() != null) {
            int line = j.getLocation().getLineNr();
            int col = j.getLocation().getColumnNr();
            String why = j.getOriginalMessage()
                    .replaceAll("\\s*\\R\\s*", " ")
                    .replaceAll("\\[Source: .*?; line: (\\d+), column: (\\d+)\\]", "line $1, column $2")
                    .strip();
            return Malformed.at(why, line, col, e);
        }
        return new Malformed("invalid JSON: " + e.getMessage(), e.getMessage(), -1, -1, e);
    }

    /** Compact UTF-8, as {@code ObjectMapper.writeValueAsBytes}. */
    public static byte[] bytes(JsonNode node) {
        return utf8(node, false);
    }

    /** Compact, as {@code ObjectMapper.writeValueAsString} (and {@code JsonNode.toString()}). */
    public static String write(JsonNode node) {
        return text(node, false);
    }

    /** Indented, as {@code ObjectMapper.writerWithDefaultPrettyPrinter().writeValueAsString}. */
    public static String pretty(JsonNode node) {
        return text(node, true);
    }

    /** {@link #pretty} in UTF-8 bytes. */
    public static byte[] prettyBytes(JsonNode node) {
        return utf8(node, true);
    }

    /** Indented in the caller's layout (a fresh instance of {@code layout} each call: a printer keeps the nesting). */
    public static String pretty(JsonNode node, DefaultPrettyPrinter layout) {
        StringWriter out = new StringWriter(1024);
        emit(null, out, node, layout);
        return out.toString();
    }

    private static byte[] utf8(JsonNode node, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        emit(out, null, node, pretty ? new DefaultPrettyPrinter() : null);
        return out.toByteArray();
    }

    private static String text(JsonNode node, boolean pretty) {
        StringWriter out = new StringWriter(1024);
        emit(null, out, node, pretty ? new DefaultPrettyPrinter() : null);
        return out.toString();
    }

    /**
     * Writes {@code node} to {@code bytes} (UTF-8), else to {@code chars}, indented in a fresh instance of
     * {@code layout} when there is one (a printer keeps the nesting); in memory, only a constraint (nesting, length)
     * can fail.
     */
    private static void emit(OutputStream bytes, Writer chars, JsonNode node, DefaultPrettyPrinter layout) {
        try (JsonGenerator g = bytes != null ? FACTORY.createGenerator(bytes) : FACTORY.createGenerator(chars)) {
            if (layout != null) g.setPrettyPrinter(layout.createInstance());
            write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT: {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
                return;
            }
            case ARRAY: {
                g.writeStartArray();
                for (JsonNode e : n) write(g, e);
                g.writeEndArray();
                return;
            }
            case STRING:
                g.writeString(n.textValue());
                return;
            case NUMBER:
                number(g, n);
                return;
            case BOOLEAN:
                g.writeBoolean(n.booleanValue());
                return;
            case NULL:
            case MISSING: // ObjectMapper writes a MissingNode as null too
                g.writeNull();
                return;
            case BINARY:
                g.writeBinary(n.binaryValue());
                return;
            default:
                throw new IllegalArgumentException("cannot write a " + n.getNodeType()
                        + " node without an ObjectMapper: " + n.getClass().getName());
        }
    }

    private static void number(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.numberType()) {
            case INT -> g.writeNumber(n.intValue());
            case LONG -> g.writeNumber(n.longValue());
            case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
            case FLOAT -> g.writeNumber(n.floatValue());
            case DOUBLE -> g.writeNumber(n.doubleValue());
            default -> g.writeNumber(n.decimalValue());
        }
    }
}
