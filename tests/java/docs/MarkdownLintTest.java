package docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import configs.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * markdownlint-cli2 (npm, pinned in tests/tools/node/package-lock.json, installed by
 * tests/tools/install-node-tools.sh) over every Markdown file, with the repository's .markdownlint-cli2.yaml.
 * Not installed: skipped with the reason, a failure when N0D3_REQUIRE_LAB=1.
 */
class MarkdownLintTest {
    static final Path BIN = Repo.file("tests/tools/node/node_modules/.bin/markdownlint-cli2");
    static final Pattern LINTING = Pattern.compile("Linting: (\\d+) file");

    static ProcessResult lint(Path dir) {
        Repo.requireTool(
                Files.isExecutable(BIN) && ProcessRunner.onPath("node"),
                "markdownlint-cli2 not installed: run tests/tools/install-node-tools.sh");
        List<String> argv = new ArrayList<>(List.of(BIN.toString()));
        argv.addAll(MarkdownFiles.lintArguments());
        return new ProcessRunner()
                .runAnyExit(Command.of(argv).dir(dir).env("NO_COLOR", "1").timeout(Duration.ofMinutes(2)));
    }

    @Test
    void everyMarkdownFilePassesMarkdownlint() {
        ProcessResult r = lint(Repo.basedir());
        String out = r.stdout() + r.stderr();
        assertEquals(0, r.exitCode(), "markdownlint-cli2 reported problems:\n" + out);
        Matcher m = LINTING.matcher(out);
        assertTrue(m.find(), out);
        assertEquals(
                MarkdownFiles.all().size(),
                Integer.parseInt(m.group(1)),
                "files linted vs Markdown files in the repo:\n" + out);
    }

    @Test
    void aBrokenFileFailsTheLintWithTheRuleNamed(@TempDir Path dir) throws IOException {
        Files.copy(Repo.file(".markdownlint-cli2.yaml"), dir.resolve(".markdownlint-cli2.yaml"));
        Files.writeString(dir.resolve("bad.md"), "# Title\n\n### Skipped a level\n\nTrailing space here \n");
        ProcessResult r = lint(dir);
        String out = r.stdout() + r.stderr();
        assertEquals(1, r.exitCode(), out);
        assertTrue(out.contains("bad.md:3") && out.contains("MD001"), out);
        assertTrue(out.contains("MD009"), out);
    }
}
