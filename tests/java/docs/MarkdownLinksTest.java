package docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import configs.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every relative link and #anchor between the repository's Markdown files resolves. */
class MarkdownLinksTest {
    @Test
    void everyRelativeLinkAndAnchorResolves() {
        List<Path> files = MarkdownFiles.all();
        assertTrue(files.size() >= 13, "README, BRANCHING, .specify/*.md and eight SOPs at least: " + files);
        assertEquals(List.of(), new LinkChecker(Repo.basedir()).check(files));
    }

    @Test
    void slugsFollowGitHubsRules() {
        assertEquals("configuration-reference", LinkChecker.slug("Configuration reference"));
        assertEquals("sop-002-swarm-join-process", LinkChecker.slug("SOP-002: Swarm Join Process"));
        assertEquals("1-preflight-the-host", LinkChecker.slug("1. Preflight the host"));
        assertEquals("installjava---detect", LinkChecker.slug("`install.java --detect`"));
        assertEquals("spec--plan--impl", LinkChecker.slug("spec → plan → impl"));
        assertEquals("the-readme", LinkChecker.slug("The [README](README.md)"));
    }

    @Test
    void aBrokenLinkOrAnchorIsReportedWithFileAndLine(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("a.md"),
                String.join(
                        "\n",
                        "# Title",
                        "",
                        "## Same name",
                        "",
                        "## Same name",
                        "",
                        "[ok](b.md#target-heading) [ok](#same-name-1) [ok](b.md) [ext](https://example.org/x#y)",
                        "[missing file](c.md) [bad anchor](b.md#nope)",
                        "`[in code](nowhere.md)`",
                        "```",
                        "[in a fence](nowhere.md)",
                        "```",
                        "[ref]: ./b.md#no-such-anchor",
                        ""));
        Files.writeString(dir.resolve("b.md"), "# Target heading\n");
        List<String> problems = new LinkChecker(dir).check(List.of(dir.resolve("a.md")));
        assertEquals(
                List.of(
                        "a.md:8: link 'c.md': no such file c.md",
                        "a.md:8: link 'b.md#nope': no heading with anchor #nope in b.md",
                        "a.md:13: link './b.md#no-such-anchor': no heading with anchor #no-such-anchor in b.md"),
                problems);
    }
}
