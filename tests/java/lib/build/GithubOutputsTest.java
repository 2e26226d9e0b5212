package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The formats are GitHub's "Workflow commands: Setting an output parameter" and "Multiline strings". */
class GithubOutputsTest {
    @TempDir
    Path tmp;

    @Test
    void singleLineValuesAreNameEqualsValue() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("image", "ghcr.io/pr-cybr/n0d3");
        m.put("digest_amd64", "sha256:abc");
        m.put("empty", "");
        assertEquals(
                "image=ghcr.io/pr-cybr/n0d3\ndigest_amd64=sha256:abc\nempty=\n", GithubOutputs.format(m, () -> "D"));
    }

    @Test
    void multiLineValuesUseAHeredocWhoseDelimiterIsNotInTheValue() {
        Iterator<String> delimiters =
                List.of("ghadelimiter_1", "ghadelimiter_2").iterator();
        String out = GithubOutputs.format(Map.of("tags", "a:1\nb:ghadelimiter_1"), delimiters::next);
        assertEquals("tags<<ghadelimiter_2\na:1\nb:ghadelimiter_1\nghadelimiter_2\n", out);
    }

    @Test
    void appendsToTheFilesNamedByTheEnvironmentAndOnlyThen() throws IOException {
        Path out = Files.writeString(tmp.resolve("out"), "earlier=1\n");
        Path sum = tmp.resolve("summary.md");
        Map<String, String> env = Map.of("GITHUB_OUTPUT", out.toString(), "GITHUB_STEP_SUMMARY", sum.toString());
        assertTrue(GithubOutputs.writeOutputs(env, Map.of("manifest_digest", "sha256:1")));
        assertTrue(GithubOutputs.writeSummary(env, "| a |"));
        assertEquals("earlier=1\nmanifest_digest=sha256:1\n", Files.readString(out));
        assertEquals("| a |\n", Files.readString(sum));
        assertFalse(GithubOutputs.writeOutputs(Map.of(), Map.of("x", "y")));
        assertFalse(GithubOutputs.writeSummary(Map.of("GITHUB_STEP_SUMMARY", " "), "x"));
    }

    @Test
    void tableCellsEscapePipesAndLineBreaks() {
        assertEquals("a\\|b c", GithubOutputs.cell("a|b\nc"));
    }
}
