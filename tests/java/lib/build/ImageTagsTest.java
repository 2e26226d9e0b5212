package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import lib.cli.ExitCode;
import lib.cli.N0d3Exception;
import lib.host.Arch;
import org.junit.jupiter.api.Test;

class ImageTagsTest {
    static final ImageTags.Sources FROM = new ImageTags.Sources("REGISTRY", "IMAGE_NAME", "VERSION", "GITHUB_SHA");
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void perArchitectureAndManifestTags() {
        ImageTags t = ImageTags.of("ghcr.io", "pr-cybr/n0d3", "1.4.0", SHA, FROM);
        assertEquals("ghcr.io/pr-cybr/n0d3", t.repository());
        assertEquals("0123456", t.shortSha());
        assertEquals(
                List.of("ghcr.io/pr-cybr/n0d3:1.4.0-amd64", "ghcr.io/pr-cybr/n0d3:sha-0123456-amd64"),
                t.archTags(Arch.AMD64));
        assertEquals(
                List.of("ghcr.io/pr-cybr/n0d3:1.4.0-arm64", "ghcr.io/pr-cybr/n0d3:sha-0123456-arm64"),
                t.archTags(Arch.ARM64));
        assertEquals(
                List.of("ghcr.io/pr-cybr/n0d3:1.4.0-armv7", "ghcr.io/pr-cybr/n0d3:sha-0123456-armv7"),
                t.archTags(Arch.ARMV7));
        assertEquals("ghcr.io/pr-cybr/n0d3:1.4.0-armv7", t.archRef(Arch.ARMV7));
        assertEquals(List.of("ghcr.io/pr-cybr/n0d3:1.4.0", "ghcr.io/pr-cybr/n0d3:sha-0123456"), t.manifestTags());
        assertEquals("ghcr.io/pr-cybr/n0d3:1.4.0", t.manifestRef());
    }

    @Test
    void withoutARevisionThereAreNoShaTags() {
        ImageTags t = ImageTags.of("127.0.0.1:5000", "lab/x", "v2", null, FROM);
        assertNull(t.shortSha());
        assertEquals(List.of("127.0.0.1:5000/lab/x:v2-arm64"), t.archTags(Arch.ARM64));
        assertEquals(List.of("127.0.0.1:5000/lab/x:v2"), t.manifestTags());
    }

    @Test
    void noRegistryMeansDockerHubNames() {
        assertEquals(
                "pr-cybr/n0d3:1-amd64",
                ImageTags.of("", "pr-cybr/n0d3", "1", null, FROM).archRef(Arch.AMD64));
        assertEquals(
                "pr-cybr/n0d3",
                ImageTags.of(null, "pr-cybr/n0d3", "1", null, FROM).repository());
    }

    @Test
    void githubRepositoryNamesAreLowerCased() {
        ImageTags t = ImageTags.of("ghcr.io/", "PR-CYBR/PR-CYBR-N0D3", "1.0.0", SHA.toUpperCase(Locale.ROOT), FROM);
        assertEquals("ghcr.io/pr-cybr/pr-cybr-n0d3", t.repository());
        assertEquals(SHA, t.revision());
    }

    static N0d3Exception bad(String registry, String name, String version, String revision) {
        N0d3Exception e =
                assertThrows(N0d3Exception.class, () -> ImageTags.of(registry, name, version, revision, FROM));
        assertEquals(ExitCode.USAGE, e.exitCode());
        return e;
    }

    @Test
    void badValuesAreUsageErrorsNamingWhereTheyCameFrom() {
        assertTrue(
                bad("ghcr io", "a/b", "1", null).getMessage().startsWith("REGISTRY: 'ghcr io' is not a registry host"));
        assertTrue(
                bad("ghcr.io", "a//b", "1", null).getMessage().startsWith("IMAGE_NAME: 'a//b' is not an image name"));
        assertTrue(bad("ghcr.io", "", "1", null).getMessage().startsWith("IMAGE_NAME: the image name is empty"));
        assertTrue(bad("ghcr.io", "a/b", "1.0+build", null)
                .getMessage()
                .startsWith("VERSION: '1.0+build' is not usable as a tag"));
        assertTrue(bad("ghcr.io", "a/b", "-1", null).getMessage().startsWith("VERSION: '-1'"));
        assertTrue(bad("ghcr.io", "a/b", "", null).getMessage().startsWith("VERSION: ''"));
        assertTrue(bad("ghcr.io", "a/b", "x".repeat(122), null).getMessage().startsWith("VERSION:"));
        assertTrue(bad("ghcr.io", "a/b", "1", "main")
                .getMessage()
                .startsWith("GITHUB_SHA: 'main' is not a git commit id"));
        assertTrue(bad("ghcr.io", "a/b", "1", "abc12").getMessage().startsWith("GITHUB_SHA:"));
    }

    @Test
    void theLongestVersionStillMakesValidTags() {
        String v = "v".repeat(121);
        ImageTags t = ImageTags.of("r.example", "a/b", v, SHA, FROM);
        String tag = t.archRef(Arch.ARMV7);
        assertEquals(127, tag.substring(tag.lastIndexOf(':') + 1).length());
    }
}
