package build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.Map;
import lib.cli.Version;
import org.junit.jupiter.api.Test;
import support.ChildJvm;
import support.Project;

/** One version everywhere: lib.cli.Version, the pom, codex.yaml, and what --version prints. */
class VersionTest {
    @Test
    void versionConstantEqualsThePomsVersion() {
        assertEquals(Project.pom().version(), Version.VERSION, "lib/cli/Version.VERSION vs pom.xml <version>");
    }

    @Test
    void codexMetadataVersionEqualsThePomsVersion() throws IOException {
        var codex = new ObjectMapper(new YAMLFactory())
                .readTree(Project.basedir().resolve("codex.yaml").toFile());
        assertEquals(
                Project.pom().version(),
                codex.path("metadata").path("version").asText(),
                "codex.yaml metadata.version vs pom.xml <version>");
    }

    @Test
    void launcherVersionPrintsTheBuildVersion() {
        ChildJvm.Result r = ChildJvm.runMain("lib.cli.Launcher", Map.of(), null, "--version");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("n0d3 " + Project.pom().version(), r.stdout().strip());
    }

    @Test
    void scriptVersionPrintsTheBuildVersion() {
        ChildJvm.Result r = ChildJvm.runMain("install", Map.of(), null, "--version");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().startsWith("install.java " + Project.pom().version() + " "), r.stdout());
        assertEquals(1, r.stdout().strip().lines().count(), r.stdout());
    }
}
