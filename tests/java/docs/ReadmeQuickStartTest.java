package docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import configs.Repo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README opens with exactly the two quick-start commands, each introduced by one sentence. */
class ReadmeQuickStartTest {
    @Test
    void theReadmeOpensWithTheMainJobAndTheTestCommand() {
        List<String> lines = Repo.read(Repo.file("README.md")).lines().limit(11).toList();
        assertTrue(
                lines.get(0).endsWith(":") && !lines.get(0).startsWith("#"),
                "one introducing sentence: " + lines.get(0));
        assertEquals(
                List.of(
                        "",
                        "```sh",
                        "mvn -B -q package -DskipTests && java -jar target/n0d3.jar telemetry --once --output -",
                        "```",
                        ""),
                lines.subList(1, 6));
        assertTrue(
                lines.get(6).endsWith(":") && !lines.get(6).startsWith("#"),
                "one introducing sentence: " + lines.get(6));
        assertEquals(List.of("", "```sh", "tests/run", "```"), lines.subList(7, 11));
    }
}
