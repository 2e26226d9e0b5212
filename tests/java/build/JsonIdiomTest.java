package build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import support.Project;

/**
 * One JSON idiom (docs/decisions/json-idiom.md): the scripts and lib/ read and write JSON through lib/json/Json;
 * an ObjectMapper (made, or used to read, write or make nodes) only in the files listed here, each with its reason,
 * the same list as the record's.
 */
class JsonIdiomTest {
    static final Map<String, String> ALLOWED = Map.of(
            "lib/json/Json.java", "the idiom itself (its comments compare it with ObjectMapper)",
            "lib/config/CodexLoader.java", "binds codex.yaml to the Codex records",
            "lib/install/RegistrationPhase.java", "binds the codex's resources records into the body in snake_case",
            "lib/install/InstallState.java", "binds the typed install state's records to the state file in snake_case");

    /** An ObjectMapper, or what only a mapper does to JSON text and trees. */
    static final Pattern MAPPER = Pattern.compile(
            "\\bObjectMapper\\b|\\.toPrettyString\\(|\\.valueToTree\\(|\\.readTree\\(|\\.writeValueAs"
                    + "|\\.writerWithDefaultPrettyPrinter\\(|\\.createObjectNode\\(|\\.createArrayNode\\(|\\.getNodeFactory\\(");

    /** "FILE:LINE: text" for every line outside a comment that uses a mapper, in files not allowed one. */
    static List<String> strays(Map<String, String> sources) {
        List<String> out = new ArrayList<>();
        sources.forEach((file, text) -> {
            if (ALLOWED.containsKey(file)) return;
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i].strip();
                if (l.startsWith("//") || l.startsWith("*") || l.startsWith("/*")) continue;
                if (MAPPER.matcher(l).find()) out.add(file + ":" + (i + 1) + ": " + l);
            }
        });
        return out;
    }

    /** The top-level scripts and every class under lib/, by path relative to the project. */
    static Map<String, String> sources() throws IOException {
        Map<String, String> out = new TreeMap<>();
        Path top = Project.basedir();
        for (Path s : Project.scripts()) out.put(s.getFileName().toString(), Files.readString(s));
        try (Stream<Path> files = Files.walk(top.resolve("lib"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                out.put(top.relativize(f).toString(), Files.readString(f));
            }
        }
        return out;
    }

    @Test
    void noScriptOrLibraryClassTakesUpAnObjectMapper() throws IOException {
        Map<String, String> sources = sources();
        assertTrue(
                sources.size() > 150
                        && sources.containsKey("lib/json/Json.java")
                        && sources.containsKey("telemetry.java"),
                "the scripts and lib/ were read: " + sources.size());
        assertEquals(List.of(), strays(sources), "use lib/json/Json (docs/decisions/json-idiom.md)");
    }

    @Test
    void everyAllowedFileStillExistsAndIsNamedInTheRecord() throws IOException {
        String record = Files.readString(Project.basedir().resolve("docs/decisions/json-idiom.md"));
        for (String file : ALLOWED.keySet()) {
            assertTrue(
                    Files.isRegularFile(Project.basedir().resolve(file)),
                    file + " is gone: take it off JsonIdiomTest.ALLOWED");
            String cls = file.substring(file.lastIndexOf('/') + 1, file.length() - ".java".length());
            assertTrue(record.contains(cls), "docs/decisions/json-idiom.md does not name " + cls);
        }
    }

    /** The check finds each form of a stray mapper, and passes comments and lib/json's own use. */
    @Test
    void aStrayMapperIsFound() {
        Map<String, String> broken = new LinkedHashMap<>();
        broken.put("lib/x/A.java", "class A {\n    static final ObjectMapper M = new ObjectMapper();\n}\n");
        broken.put("lib/x/B.java", "class B {\n    String s(JsonNode n) { return n.toPrettyString(); }\n}\n");
        broken.put(
                "lib/x/C.java",
                "class C {\n    JsonNode t(String s) throws Exception { return Other.JSON.readTree(s); }\n}\n");
        broken.put(
                "lib/x/D.java",
                "class D {\n    // no ObjectMapper here: lib/json/Json\n    /* new ObjectMapper() */\n}\n");
        broken.put("lib/json/Json.java", "class Json {\n    ObjectMapper for comparison only;\n}\n");
        assertEquals(
                List.of(
                        "lib/x/A.java:2: static final ObjectMapper M = new ObjectMapper();",
                        "lib/x/B.java:2: String s(JsonNode n) { return n.toPrettyString(); }",
                        "lib/x/C.java:2: JsonNode t(String s) throws Exception { return Other.JSON.readTree(s); }"),
                strays(broken));
    }
}
