package lib.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a registry itself serves, read over its HTTP API (distribution v2: GET /v2/NAME/manifests/REF with
 * an Accept header), independently of docker and buildx: the evidence the build tests check against.
 */
final class RegistryApi {
    static final String ACCEPT = String.join(
            ", ",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.oci.image.manifest.v1+json");
    static final ObjectMapper JSON = new ObjectMapper();

    /** One manifest as served: HTTP status, Content-Type, Docker-Content-Digest and the exact body bytes. */
    record Manifest(int status, String mediaType, String digestHeader, byte[] body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("manifest is not JSON: " + new String(body, StandardCharsets.UTF_8), e);
            }
        }

        /** platform ("linux/arm/v7") to digest, for a list or index. */
        Map<String, String> platforms() {
            Map<String, String> m = new LinkedHashMap<>();
            for (JsonNode e : json().path("manifests")) {
                JsonNode p = e.path("platform");
                String v = p.path("variant").asText("");
                m.put(
                        p.path("os").asText() + "/" + p.path("architecture").asText() + (v.isEmpty() ? "" : "/" + v),
                        e.path("digest").asText());
            }
            return m;
        }
    }

    private final String registry;
    private final String authorization;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RegistryApi(String registry) {
        this(registry, null, null);
    }

    RegistryApi(String registry, String user, String password) {
        this.registry = registry;
        this.authorization = user == null
                ? null
                : "Basic "
                        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    Manifest manifest(String name, String reference) {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create("http://" + registry + "/v2/" + name + "/manifests/" + reference))
                .header("Accept", ACCEPT)
                .timeout(Duration.ofSeconds(10))
                .GET();
        if (authorization != null) b.header("Authorization", authorization);
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Manifest(
                    r.statusCode(),
                    r.headers().firstValue("Content-Type").orElse(""),
                    r.headers().firstValue("Docker-Content-Digest").orElse(null),
                    r.body());
        } catch (IOException e) {
            throw new AssertionError("registry " + registry + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** GET /v2/ status: 200 open, 401 needs credentials. */
    int ping() {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/"))
                                    .timeout(Duration.ofSeconds(2))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
