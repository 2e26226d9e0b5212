package workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tests/tools/ValidateCodex.java, the check of the codex and design branch workflows, run as they run it. */
class ValidateCodexToolTest {
    static Require.Proc validate(String... files) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(
                List.of(java, "-cp", System.getProperty("java.class.path"), "tests/tools/ValidateCodex.java"));
        cmd.addAll(List.of(files));
        return Require.run(Require.basedir(), Map.of(), cmd, 120);
    }

    @Test
    void theRepositorysCodexIsValid() {
        Require.Proc p = validate("codex.yaml");
        assertEquals(0, p.exit(), p.out());
        assertTrue(p.out().startsWith("ok: codex.yaml is valid against schemas/codex.schema.json"), p.out());
    }

    @Test
    void anInvalidCodexFailsWithFileLineColumn(@TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("codex.yaml");
        Files.writeString(bad, "metadata:\n  name: x\ncapabilities:\n  swarm:\n    role: captain\n");
        Require.Proc p = validate("codex.yaml", bad.toString());
        assertEquals(2, p.exit(), p.out());
        assertTrue(p.out().contains("error: " + bad + ":5:"), p.out());
        assertTrue(p.out().contains("capabilities.swarm.role"), p.out());
    }
}
