package build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import lib.cli.Launcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import support.Project;

/** jbang-catalog.json: one alias per top-level script, named as the jar's launcher names it. */
class JBangCatalogTest {
    static JsonNode aliases() throws IOException {
        JsonNode root = new ObjectMapper()
                .readTree(Project.basedir().resolve("jbang-catalog.json").toFile());
        JsonNode a = root.path("aliases");
        assertTrue(a.isObject() && a.size() > 0, "jbang-catalog.json: no \"aliases\" object");
        return a;
    }

    static Stream<Path> scripts() {
        return Project.scripts().stream();
    }

    @Test
    void everyAliasPointsAtAnExistingScriptAndIsDescribed() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : aliases().properties()) {
            String ref = e.getValue().path("script-ref").asText("");
            Path p = Project.basedir().resolve(ref).normalize();
            if (ref.isEmpty()) problems.add(e.getKey() + ": no script-ref");
            else if (!Files.isRegularFile(p)) problems.add(e.getKey() + ": script-ref " + ref + " does not exist");
            else if (!p.getParent().equals(Project.basedir()))
                problems.add(e.getKey() + ": " + ref + " is not a top-level script");
            if (e.getValue().path("description").asText("").isBlank()) problems.add(e.getKey() + ": no description");
        }
        assertTrue(problems.isEmpty(), "jbang-catalog.json:\n  " + String.join("\n  ", problems));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void everyScriptHasOneAliasNamedLikeTheLauncherNamesIt(Path script) throws IOException {
        String file = script.getFileName().toString();
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : aliases().properties()) {
            if (Project.basedir()
                    .resolve(e.getValue().path("script-ref").asText(""))
                    .normalize()
                    .equals(script)) names.add(e.getKey());
        }
        assertEquals(
                1, names.size(), "jbang-catalog.json: expected exactly one alias for " + file + ", found " + names);
        String cls = file.substring(0, file.length() - ".java".length());
        String launcherName = Launcher.SCRIPTS.entrySet().stream()
                .filter(e -> e.getValue().equals(cls))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
        assertFalse(launcherName == null, "lib/cli/Launcher.SCRIPTS has no entry for class " + cls);
        assertEquals(
                launcherName,
                names.get(0),
                file + ": the alias and `java -jar n0d3.jar NAME` should use the same name");
    }
}
