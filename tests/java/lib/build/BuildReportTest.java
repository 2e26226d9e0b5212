package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lib.host.Arch;
import org.junit.jupiter.api.Test;

class BuildReportTest {
    static final String D1 = "sha256:" + "1".repeat(64);
    static final String D2 = "sha256:" + "2".repeat(64);
    static final String DM = "sha256:" + "9".repeat(64);

    static BuildReport report() {
        ImageTags t = ImageTags.of(
                "127.0.0.1:5000",
                "lab/node",
                "1.0",
                "0123456789abcdef0123456789abcdef01234567",
                new ImageTags.Sources("R", "I", "V", "S"));
        BuildReport r = new BuildReport("build_arm.java", t);
        BuildReport.PlatformResult p = new BuildReport.PlatformResult(Arch.ARM64, t.archTags(Arch.ARM64), true);
        p.imageId = "sha256:" + "f".repeat(64);
        p.digest = D1;
        p.buildMillis = 1200;
        p.smoke = new SmokeTest.Result("uname -m", "aarch64", 340, true);
        r.platforms.add(p);
        r.pushed = true;
        Map<String, String> m = new LinkedHashMap<>();
        m.put("linux/amd64", D2);
        m.put("linux/arm64", D1);
        r.manifestPlatforms = m;
        r.manifestDigest = DM;
        r.manifestTags = t.manifestTags();
        return r;
    }

    @Test
    void githubOutputsNameEveryDigest() {
        Map<String, String> o = report().outputs();
        assertEquals("127.0.0.1:5000/lab/node", o.get("image"));
        assertEquals("1.0", o.get("version"));
        assertEquals(D1, o.get("digest_arm64"));
        assertEquals(D2, o.get("digest_amd64"), "digests of platforms built elsewhere come from the manifest list");
        assertEquals(DM, o.get("manifest_digest"));
        assertEquals("127.0.0.1:5000/lab/node:1.0", o.get("manifest"));
        assertEquals(
                List.of(
                        "127.0.0.1:5000/lab/node:1.0-arm64",
                        "127.0.0.1:5000/lab/node:sha-0123456-arm64",
                        "127.0.0.1:5000/lab/node:1.0",
                        "127.0.0.1:5000/lab/node:sha-0123456"),
                List.of(o.get("tags").split("\n")));
    }

    @Test
    void summaryIsAMarkdownTable() {
        String s = report().summary();
        assertTrue(
                s.startsWith(
                        "### build_arm.java: `127.0.0.1:5000/lab/node` 1.0\n\n| Platform | Tags | Image ID | Registry digest | Smoke test |\n|---|---|---|---|---|\n"),
                s);
        assertTrue(
                s.contains(
                        "| linux/arm64 | `127.0.0.1:5000/lab/node:1.0-arm64`<br>`127.0.0.1:5000/lab/node:sha-0123456-arm64` | `ffffffffffff` | `"
                                + D1 + "` | passed (under QEMU, 340 ms): `aarch64` |\n"),
                s);
        assertTrue(s.contains("| linux/amd64 | `" + D2 + "` |"), s);
    }

    @Test
    void jsonAndText() {
        var j = report().json();
        assertEquals("linux/arm64", j.path("platforms").path(0).path("platform").asText());
        assertEquals(
                "aarch64",
                j.path("platforms").path(0).path("smoke").path("output").asText());
        assertEquals(DM, j.path("manifest").path("digest").asText());
        assertEquals(
                D2, j.path("manifest").path("platforms").path("linux/amd64").asText());
        String text = report().text();
        assertTrue(
                text.startsWith("linux/arm64   127.0.0.1:5000/lab/node:1.0-arm64  image ffffffffffff  pushed " + D1
                        + "  smoke ok (QEMU, 340 ms): aarch64\n"),
                text);
        assertTrue(text.endsWith("linux/amd64, linux/arm64 (verified in the registry)"), text);
    }
}
