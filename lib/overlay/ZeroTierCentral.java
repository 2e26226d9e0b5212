package lib.overlay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import lib.cli.N0d3Exception;
import lib.cli.Version;
import lib.json.Json;
import lib.secret.Secret;

/**
 * Member authorisation through the ZeroTier Central API: {@code POST {api}/network/{networkId}/member/{memberId}}
 * with {@code {"name", "description", "config": {"authorized": true}}} and {@code Authorization: token <token>}
 * (docs.zerotier.com, Central API v1, "Modify a network member"). The token is only ever in that header.
 */
public final class ZeroTierCentral {
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private final URI api;
    private final Secret token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public ZeroTierCentral(String apiUrl, Secret token) {
        this.api = URI.create(apiUrl.replaceAll("/+$", ""));
        this.token = token;
    }

    public URI memberUri(String networkId, String memberId) {
        return URI.create(api + "/network/" + networkId + "/member/" + memberId);
    }

    public void authorize(String networkId, String memberId, String name, String description) {
        var body = Json.object();
        body.put("name", name);
        body.put("description", description);
        body.putObject("config").put("authorized", true);
        URI u = memberUri(networkId, memberId);
        HttpRequest req = HttpRequest.newBuilder(u).timeout(TIMEOUT)
                .header("Authorization", "token " + token.reveal())
                .header("Content-Type", "application/json")
                .header("User-Agent", "pr-cybr-n0d3/" + Version.VERSION)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw N0d3Exception.failure("ZeroTier Central at " + api + " did not answer (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw N0d3Exception.failure("interrupted");
        }
        int s = resp.statusCode();
        if (s == 401 || s == 403) {
            throw N0d3Exception.failure("ZeroTier Central refused the API token from " + token.source() + " (HTTP " + s + " on POST " + u + ")");
        }
        if (s < 200 || s >= 300) {
            throw N0d3Exception.failure("ZeroTier Central answered HTTP " + s + " to POST " + u + ": " + brief(resp.body()));
        }
    }

    private static String brief(String b) {
        String t = b == null ? "" : b.strip().replaceAll("\\s+", " ");
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
