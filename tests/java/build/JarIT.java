package build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ChildJvm;
import support.Project;

/** The packaged runnable jar (run by Failsafe in `mvn verify`, after `package`). */
class JarIT {
    static Path jar() {
        return Project.packagedJar();
    }

    @Test
    void versionIsThePomsVersion() throws Exception {
        ChildJvm.Result r = ChildJvm.runJar(jar(), Map.of(), null, "--version");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("n0d3 " + Project.pom().version(), r.stdout().strip());
        try (JarFile jf = new JarFile(jar().toFile())) {
            assertEquals(
                    Project.pom().version(),
                    jf.getManifest().getMainAttributes().getValue("Implementation-Version"));
        }
    }

    @Test
    void carriesEveryScriptAndTheResourcesTheScriptsLoad() throws Exception {
        try (JarFile jf = new JarFile(jar().toFile())) {
            for (Path script : Project.scripts()) {
                String cls = script.getFileName().toString().replace(".java", ".class");
                assertTrue(jf.getEntry(cls) != null, "jar has no " + cls);
                for (String f : JBangScript.read(script).files()) {
                    String target = JBangScript.fileTarget(f);
                    assertTrue(
                            jf.getEntry(target) != null,
                            "jar has no " + target + " (//FILES of " + script.getFileName() + ")");
                }
            }
        }
    }

    @Test
    void installDetectJsonRunsFromTheJar() throws Exception {
        ChildJvm.Result r = ChildJvm.runJar(
                jar(), Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock"), null, "install", "--detect", "--json");
        assertEquals(0, r.exit(), r.stderr());
        JsonNode facts = new ObjectMapper().readTree(r.stdout());
        assertFalse(facts.path("architecture").asText().isEmpty(), r.stdout());
        assertEquals(false, facts.path("docker_running").asBoolean(true), "nothing listens on the socket given");
    }

    @Test
    void malformedCodexIsOneLineExit2FromTheJar(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "metadata:\n  name: ok\n  colour: red\n");
        ChildJvm.Result r = ChildJvm.runJar(jar(), Map.of(), dir, "install", "--detect", "-c", bad.toString());
        assertEquals(2, r.exit(), r.stderr());
        assertEquals(1, r.stderrLines().size(), r.stderr());
        assertEquals(
                "error: " + bad
                        + ":3:3: metadata.colour: unknown field; expected one of: name, version, description, repository, maintainer, node_name, labels",
                r.stderr().strip());
    }

    @Test
    void unknownScriptIsExit2() {
        ChildJvm.Result r = ChildJvm.runJar(jar(), Map.of(), null, "nosuch");
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains("unknown script 'nosuch'"), r.stderr());
    }
}
