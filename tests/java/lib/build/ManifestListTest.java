package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import lib.cli.ExitCode;
import lib.cli.N0d3Exception;
import org.junit.jupiter.api.Test;

class ManifestListTest {
    static final String A = "sha256:" + "a".repeat(64);
    static final String B = "sha256:" + "b".repeat(64);
    static final String C = "sha256:" + "c".repeat(64);

    /** The shape docker buildx imagetools create writes for single-platform sources (seen in the lab registry). */
    static String dockerList(String... entries) {
        return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.list.v2+json\",\"manifests\":["
                + String.join(",", entries) + "]}";
    }

    static String entry(String digest, String arch, String variant) {
        return "{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"digest\":\"" + digest
                + "\",\"size\":736," + "\"platform\":{\"architecture\":\"" + arch + "\",\"os\":\"linux\""
                + (variant == null ? "" : ",\"variant\":\"" + variant + "\"") + "}}";
    }

    static Map<String, String> expected(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void parsesPlatformsAndDigestsAndHashesTheExactBytes() {
        String raw = dockerList(entry(A, "amd64", null), entry(B, "arm64", null), entry(C, "arm", "v7"));
        ManifestList l = ManifestList.parse("r/i:1", raw.getBytes(StandardCharsets.UTF_8));
        assertEquals(expected("linux/amd64", A, "linux/arm64", B, "linux/arm/v7", C), l.byPlatform());
        assertEquals(ManifestList.DOCKER_LIST, l.mediaType());
        // sha256 of the empty string, a known value
        assertEquals(
                "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                ManifestList.sha256(new byte[0]));
        assertEquals(ManifestList.sha256(raw), l.digest());
        l.verify("r/i:1", expected("linux/amd64", A, "linux/arm64", B, "linux/arm/v7", C));
    }

    @Test
    void attestationManifestsOfAnOciIndexAreNotPlatforms() {
        String raw = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + entry(A, "amd64", null)
                        .replace(
                                "application/vnd.docker.distribution.manifest.v2+json",
                                "application/vnd.oci.image.manifest.v1+json")
                + ","
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + B + "\",\"size\":566,"
                + "\"annotations\":{\"vnd.docker.reference.digest\":\"" + A
                + "\",\"vnd.docker.reference.type\":\"attestation-manifest\"},"
                + "\"platform\":{\"architecture\":\"unknown\",\"os\":\"unknown\"}}]}";
        ManifestList l = ManifestList.parse("r/i:1", raw.getBytes(StandardCharsets.UTF_8));
        assertEquals(expected("linux/amd64", A), l.byPlatform());
        l.verify("r/i:1", expected("linux/amd64", A));
    }

    static String problem(String raw, Map<String, String> expected) {
        N0d3Exception e = assertThrows(
                N0d3Exception.class,
                () -> ManifestList.parse("r/i:1", raw.getBytes(StandardCharsets.UTF_8))
                        .verify("r/i:1", expected));
        assertEquals(ExitCode.FAILURE, e.exitCode());
        return e.getMessage();
    }

    @Test
    void missingExtraDuplicateAndWrongDigestAreEachNamed() {
        String two = dockerList(entry(A, "amd64", null), entry(B, "arm64", null));
        String m = problem(two, expected("linux/amd64", A, "linux/arm64", B, "linux/arm/v7", C));
        assertTrue(m.contains("linux/arm/v7 is missing"), m);
        m = problem(two, expected("linux/amd64", A));
        assertTrue(m.contains("linux/arm64 is listed but was not expected"), m);
        m = problem(dockerList(entry(A, "amd64", null), entry(A, "amd64", null)), expected("linux/amd64", A));
        assertTrue(m.contains("linux/amd64 is listed more than once"), m);
        m = problem(two, expected("linux/amd64", A, "linux/arm64", C));
        assertTrue(m.contains("linux/arm64 points to " + B + ", expected " + C), m);
        assertTrue(m.startsWith("manifest list r/i:1 (sha256:"), m);
    }

    @Test
    void aNullExpectedDigestChecksOnlyThePlatform() {
        ManifestList.parse("x", dockerList(entry(A, "amd64", null)).getBytes(StandardCharsets.UTF_8))
                .verify("x", expected("linux/amd64", null));
    }

    @Test
    void aSingleImageManifestIsNotAList() {
        N0d3Exception e = assertThrows(
                N0d3Exception.class,
                () -> ManifestList.parse(
                        "r/i:1-amd64",
                        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"layers\":[]}"
                                .getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("r/i:1-amd64 is not a manifest list"), e.getMessage());
    }

    @Test
    void aPerArchitectureTagPushedAsAnIndexResolvesToItsImageForThePlatform() {
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                        + entry(B, "arm64", null)
                        + ",{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + C
                        + "\",\"size\":566,"
                        + "\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"},\"platform\":{\"architecture\":\"unknown\",\"os\":\"unknown\"}}]}")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(B, Promotion.platformDigest("r/i:1-arm64", lib.host.Arch.ARM64, index));
        byte[] image =
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"layers\":[]}"
                        .getBytes(StandardCharsets.UTF_8);
        assertEquals(ManifestList.sha256(image), Promotion.platformDigest("r/i:1-arm64", lib.host.Arch.ARM64, image));
        N0d3Exception e = assertThrows(
                N0d3Exception.class, () -> Promotion.platformDigest("r/i:1-armv7", lib.host.Arch.ARMV7, index));
        assertEquals("r/i:1-armv7 is an index without linux/arm/v7", e.getMessage());
    }
}
