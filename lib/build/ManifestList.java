package lib.build;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import lib.cli.N0d3Exception;
import lib.json.Json;

/**
 * A multi-arch manifest list (Docker's manifest.list.v2 or an OCI image index) as the registry serves it:
 * its digest (sha256 of the exact bytes) and one entry per image, platform and digest. Attestation
 * manifests (buildx provenance and SBOM, platform unknown/unknown) are not images and are left out.
 */
public record ManifestList(String digest, String mediaType, List<Item> items) {
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    public record Item(String platform, String digest) {}

    /** Parses the raw bytes; {@code ref} names the image in errors. */
    public static ManifestList parse(String ref, byte[] raw) {
        JsonNode root;
        try {
            root = Json.parse(raw);
        } catch (IOException e) {
            throw N0d3Exception.failure(ref + ": the registry's manifest is not JSON: " + e.getMessage());
        }
        String type = root.path("mediaType").asText("");
        JsonNode ms = root.get("manifests");
        if (ms == null || !ms.isArray()) {
            throw N0d3Exception.failure(ref + " is not a manifest list (media type '" + type + "', no 'manifests')");
        }
        List<Item> items = new ArrayList<>();
        for (JsonNode m : ms) {
            if ("attestation-manifest"
                    .equals(m.path("annotations")
                            .path("vnd.docker.reference.type")
                            .asText())) continue;
            JsonNode p = m.path("platform");
            if ("unknown".equals(p.path("os").asText())
                    && "unknown".equals(p.path("architecture").asText())) continue;
            items.add(new Item(
                    Platforms.of(
                            p.path("os").asText("?"),
                            p.path("architecture").asText("?"),
                            p.path("variant").asText("")),
                    m.path("digest").asText("")));
        }
        return new ManifestList(sha256(raw), type, items);
    }

    /** {@code sha256:<hex>} of the bytes: the digest a registry gives content. */
    public static String sha256(byte[] raw) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    public Map<String, String> byPlatform() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Item i : items) m.put(i.platform(), i.digest());
        return m;
    }

    /**
     * Proves the list holds exactly the expected platforms, each once, each with the expected digest
     * (platform → digest; a null digest is not compared). Exit 1 naming every difference otherwise.
     */
    public void verify(String ref, Map<String, String> expected) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Item i : items) {
            if (!seen.add(i.platform())) problems.add(i.platform() + " is listed more than once");
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String got = byPlatform().get(e.getKey());
            if (got == null) problems.add(e.getKey() + " is missing");
            else if (e.getValue() != null && !e.getValue().equals(got)) {
                problems.add(e.getKey() + " points to " + got + ", expected " + e.getValue());
            }
        }
        for (String p : seen) {
            if (!expected.containsKey(p)) problems.add(p + " is listed but was not expected");
        }
        if (!problems.isEmpty()) {
            throw N0d3Exception.failure("manifest list " + ref + " (" + digest + ") is wrong: "
                    + String.join("; ", problems) + " (it lists " + String.join(", ", seen) + "; expected "
                    + String.join(", ", new TreeSet<>(expected.keySet())) + ")");
        }
    }
}
