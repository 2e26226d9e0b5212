package lib.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import lib.cli.Log;
import lib.config.Settings;
import lib.telemetry.TelemetryAgent;
import lib.telemetry.TelemetryConfig;
import lib.telemetry.TelemetryState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Json} against ObjectMapper's defaults: the same trees from the same text, the same bytes from
 * the same tree (compact and pretty). The corpus: Engine API v1.41 answers recorded from the lab's
 * dockerd 20.10.24 (tests/resources/engine/, a swarm manager with a failing-health, a restarting and a
 * unicode-labelled busybox container; join tokens replaced by a same-shaped fake; and
 * tests/resources/swarm/), a real telemetry payload of this machine, and hand-written edge cases.
 */
class JsonTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path state;

    static Stream<Path> recordedAnswers() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("tests/resources/engine", "tests/resources/swarm")) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
            }
        }
        assertTrue(files.size() >= 10, "the recorded corpus is there: " + files);
        return files.stream();
    }

    static Stream<String> edgeCases() {
        return Stream.of(
                "{}",
                "[]",
                "{\"a\":{},\"b\":[],\"c\":[{}],\"d\":[[]]}",
                "[[[1,[2,[3,[]]]],{\"x\":[{\"y\":[null]}]}]]",
                "0",
                "-0",
                "-0.0",
                "0.1",
                "1e-7",
                "1E-7",
                "1.0E+20",
                "123456789.123456789",
                "1e308",
                "1e400",
                "-1e400",
                "4.9e-324",
                "1e-400",
                "2147483647",
                "2147483648",
                "-2147483648",
                "-2147483649",
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775808",
                "-9223372036854775809",
                "123456789012345678901234567890",
                "-123456789012345678901234567890",
                "[0.5, 2.50, 100, 1.5e3, -7, 3.0]",
                "\"\"",
                "\"\\u0000\\u0001\\u001f\\u007f \\b\\f\\n\\r\\t \\\" \\\\ \\/ \\u2028\\u2029\"",
                "\"h\u00e9llo \u2713 \ud834\udd1e \\ud83d\\ude00 \u4e2d\u6587 \\u00e9\"",
                "{\"k\u00e9y \\\"q\\\"\":\"<tag> & 'x' \\u003cb\\u003e\"}",
                "true",
                "false",
                "null",
                "[true,false,null]",
                "{\"a\":null}",
                " \n\t {\"spaced\" :\n [ 1 ,\t2 ] } \n ");
    }

    @ParameterizedTest
    @MethodSource("recordedAnswers")
    void recordedEngineAnswersParseAndWriteAsObjectMapperDoes(Path file) throws Exception {
        sameAsObjectMapper(Files.readAllBytes(file));
    }

    @ParameterizedTest
    @MethodSource("edgeCases")
    void edgeCasesParseAndWriteAsObjectMapperDoes(String json) throws Exception {
        sameAsObjectMapper(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRealTelemetryPayloadWritesAsObjectMapperDoes() throws Exception {
        Settings s = Settings.fromText("codex.yaml", "capabilities:\n  telemetry: {}\n", Map.of());
        TelemetryConfig cfg = TelemetryConfig.resolve(s, List.of("-"), state, null, null, null, false);
        TelemetryAgent agent = new TelemetryAgent(
                cfg, "node-json \u00e9", Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock"), null, false);
        Log.redirect(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        ObjectNode payload;
        try {
            payload = agent.cycle(TelemetryState.empty(), null, false, false).payload();
        } finally {
            Log.reset();
        }
        assertTrue(
                payload.path("metrics").path("cpu").path("load_avg_1m").isDouble(),
                "a real sample with doubles: " + payload);
        assertEquals(MAPPER.writeValueAsString(payload), Json.write(payload));
        assertArrayEquals(MAPPER.writeValueAsBytes(payload), Json.bytes(payload));
        assertEquals(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(payload), Json.pretty(payload));
        sameAsObjectMapper(Json.bytes(payload));
        sameAsObjectMapper(Json.prettyBytes(payload));
    }

    @Test
    void integersTakeTheSmallestNodeThatHoldsThemAndOtherNumbersAreDoubles() throws Exception {
        assertInstanceOf(IntNode.class, Json.parse("2147483647"));
        assertInstanceOf(LongNode.class, Json.parse("2147483648"));
        assertInstanceOf(LongNode.class, Json.parse("-9223372036854775808"));
        assertInstanceOf(BigIntegerNode.class, Json.parse("9223372036854775808"));
        assertInstanceOf(DoubleNode.class, Json.parse("1" + ".0"));
        assertInstanceOf(DoubleNode.class, Json.parse("1e2"));
        assertEquals("1.0E-7", Json.write(Json.parse("1e-7")));
        assertEquals("0.1", Json.write(Json.parse("0.1")));
        assertEquals(
                "[1,2.5,-3,12345678901234567890123]", Json.write(Json.parse("[1, 2.50, -3, 12345678901234567890123]")));
    }

    @Test
    void aRepeatedKeyKeepsItsFirstPlaceAndItsLastValueAsReadTreeDoes() throws Exception {
        String dup = "{\"a\":1,\"b\":2,\"a\":{\"c\":3},\"b\":[4]}";
        JsonNode n = Json.parse(dup);
        assertEquals("{\"a\":{\"c\":3},\"b\":[4]}", Json.write(n));
        assertEquals(MAPPER.readTree(dup), n);
    }

    @Test
    void treesBuiltInCodeWriteAsObjectMapperWritesThem() throws Exception {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("short", (short) 7);
        o.put("float", 0.1f);
        o.put("double", 0.1);
        o.put("nan", Double.NaN);
        o.put("inf", Double.NEGATIVE_INFINITY);
        o.put("decimal", new BigDecimal("1E+3"));
        o.put("decimal2", new BigDecimal("-0.000001230"));
        o.put("big", new BigInteger("-98765432109876543210"));
        o.put("long", Long.MIN_VALUE);
        o.put("binary", new byte[] {0, 1, 2, (byte) 0xff, 'x'});
        o.putNull("null");
        o.set("missing", MissingNode.getInstance());
        o.putArray("empty");
        o.putObject("emptyObject");
        o.putArray("mixed").add(1).add("two").add(3.0).addNull().addObject().put("k", "v");
        assertEquals(MAPPER.writeValueAsString(o), Json.write(o));
        assertArrayEquals(MAPPER.writeValueAsBytes(o), Json.bytes(o));
        assertEquals(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o), Json.pretty(o));
        assertArrayEquals(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(o), Json.prettyBytes(o));
        assertEquals(o.toString(), Json.write(o));
        assertEquals(o.toPrettyString(), Json.pretty(o));
    }

    @Test
    void deepNestingRoundTrips() throws Exception {
        String deep = "[".repeat(800) + "{\"x\":1}" + "]".repeat(800);
        sameAsObjectMapper(deep.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPojoNodeIsRefusedRatherThanWrittenWrongly() {
        ArrayNode a = Json.array();
        a.add(new POJONode(new Object()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(a));
        assertTrue(e.getMessage().contains("POJO"), e.getMessage());
    }

    @Test
    void emptyObjectsAndArraysPrettyPrintAsObjectMapperDoes() throws Exception {
        JsonNode n = Json.parse("{\"a\":{},\"b\":[],\"c\":[1,[2,{}]],\"d\":{\"e\":{\"f\":[]}}}");
        assertEquals(
                "{\n  \"a\" : { },\n  \"b\" : [ ],\n  \"c\" : [ 1, [ 2, { } ] ],\n  \"d\" : {\n    \"e\" : {\n      \"f\" : [ ]\n    }\n  }\n}"
                        .replace("\n", System.lineSeparator()),
                Json.pretty(n));
        assertEquals(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n), Json.pretty(n));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"a\":}",
                "{\"a\":1",
                "[1,2,]",
                "{a:1}",
                "\"\\x\"",
                "\"open",
                "NaN",
                "[1 2]",
                "{\"a\" 1}",
                "tru",
                "01",
                "\"ctl\u0001\""
            })
    void malformedInputIsAOneLineErrorWithLineAndColumn(String json) {
        Json.Malformed e = assertThrows(Json.Malformed.class, () -> Json.parse(json.getBytes(StandardCharsets.UTF_8)));
        assertThrows(Exception.class, () -> MAPPER.readTree(json), "ObjectMapper refuses it too");
        assertTrue(e.getMessage().startsWith("invalid JSON at line 1, column "), e.getMessage());
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), "one line: " + e.getMessage());
        assertFalse(e.getMessage().contains("Source:"), "no Jackson source dump: " + e.getMessage());
        assertTrue(e.line() == 1 && e.column() >= 1, e.line() + ":" + e.column());
        assertThrows(Json.Malformed.class, () -> Json.parse(json));
    }

    @Test
    void theLineAndColumnPointAtTheFault() {
        Json.Malformed e = assertThrows(Json.Malformed.class, () -> Json.parse("{\n  \"a\": 1,\n  \"b\": ]\n}"));
        assertEquals(3, e.line(), e.getMessage());
        assertEquals(8, e.column(), e.getMessage());
        assertTrue(e.getMessage().contains("']'"), e.getMessage());
        assertEquals(
                "invalid JSON at line 1, column 8: unexpected '{' after the JSON value",
                assertThrows(Json.Malformed.class, () -> Json.parse("{\"a\":1}{}"))
                        .getMessage());
    }

    /** The reason alone, for a message that names the place its own way (daemon.json: FILE:LINE:COL). */
    @Test
    void theReasonIsTheMessageWithoutWhere() {
        Json.Malformed e = assertThrows(Json.Malformed.class, () -> Json.parse("{\n  \"a\": 1,\n  \"b\": ]\n}"));
        assertEquals("invalid JSON at line 3, column 8: " + e.reason(), e.getMessage());
        assertTrue(e.reason().startsWith("Unexpected character (']'"), e.reason());
        e = assertThrows(Json.Malformed.class, () -> Json.parse("{}{}"));
        assertEquals("unexpected '{' after the JSON value", e.reason());
    }

    /** An array of strings, and a layout of the caller's, as ObjectMapper makes them. */
    @Test
    void stringArraysAndOtherLayoutsAreObjectMapperS() throws Exception {
        List<String> items = List.of("docker.io", "ü \"quoted\"", "");
        assertEquals(MAPPER.valueToTree(items), Json.array(items));
        assertEquals(MAPPER.valueToTree(List.of()), Json.array(List.of()));
        var layout = new com.fasterxml.jackson.core.util.DefaultPrettyPrinter()
                .withObjectIndenter(new com.fasterxml.jackson.core.util.DefaultIndenter("\t", "\n"));
        JsonNode n = Json.parse("{\"a\":[1,{\"b\":null}],\"c\":{}}");
        assertEquals(MAPPER.writer(layout).writeValueAsString(n), Json.pretty(n, layout));
        assertEquals(
                Json.pretty(n, layout),
                Json.pretty(n, layout),
                "a fresh printer each call: the nesting does not carry over");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"{\"a\":1} x", "{\"a\":1}{\"b\":2}", "1 2", "{\"a\":1}}", "[] []", "{}\n\n  null", "\"s\" \"t\""
            })
    void anythingButWhitespaceAfterTheValueIsAnError(String json) {
        // stricter than readTree, which stops after the first value: a concatenated or torn file is not silently
        // half-read
        Json.Malformed e = assertThrows(Json.Malformed.class, () -> Json.parse(json));
        assertTrue(e.getMessage().startsWith("invalid JSON at line "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n\t"})
    void emptyInputIsAnError(String json) {
        Json.Malformed e = assertThrows(Json.Malformed.class, () -> Json.parse(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals("no JSON value (empty input)", e.getMessage());
    }

    /** Same tree (node classes included: JsonNode.equals is type-exact) and same output bytes, from bytes and from a string. */
    private static void sameAsObjectMapper(byte[] json) throws Exception {
        JsonNode expected = MAPPER.readTree(json);
        JsonNode ours = Json.parse(json);
        assertEquals(expected, ours);
        assertEquals(expected, Json.parse(new String(json, StandardCharsets.UTF_8)));
        sameClasses(expected, ours);
        assertArrayEquals(
                MAPPER.writeValueAsBytes(expected),
                Json.bytes(ours),
                () -> "compact: " + new String(Json.bytes(ours), StandardCharsets.UTF_8));
        assertEquals(MAPPER.writeValueAsString(expected), Json.write(ours));
        assertEquals(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(expected), Json.pretty(ours));
        assertArrayEquals(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(expected), Json.prettyBytes(ours));
        assertEquals(expected.toString(), Json.write(ours));
        assertEquals(MAPPER.readTree(MAPPER.writeValueAsBytes(expected)), Json.parse(Json.bytes(ours)), "round trip");
        assertEquals(
                MAPPER.readTree(MAPPER.writeValueAsBytes(expected)),
                Json.parse(Json.pretty(ours)),
                "round trip through the pretty form");
    }

    private static void sameClasses(JsonNode a, JsonNode b) {
        assertEquals(a.getClass(), b.getClass(), () -> "node class for " + a);
        if (a.isObject()) a.properties().forEach(e -> sameClasses(e.getValue(), b.get(e.getKey())));
        if (a.isArray()) for (int i = 0; i < a.size(); i++) sameClasses(a.get(i), b.get(i));
    }
}
