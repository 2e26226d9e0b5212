package lib.overlay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import lib.cli.N0d3Exception;
import lib.http.Endpoint;
import lib.http.HttpTransport;
import lib.http.Response;
import lib.http.TransportException;
import lib.json.Json;
import lib.secret.Secret;

/**
 * Member authorisation through the ZeroTier Central API on lib/http's transport:
 * {@code POST {api}/network/{networkId}/member/{memberId}} with {@code {"name", "description", "config": {"authorized": true}}}
 * and {@code Authorization: token <token>} (docs.zerotier.com, Central API v1, "Modify a network member").
 * The token is only ever in that header.
 */
public final class ZeroTierCentral {
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private final HttpTransport http;

    public ZeroTierCentral(String apiUrl, Secret token) {
        this.http = HttpTransport.to(URI.create(apiUrl.replaceAll("/+$", "")))
                .timeouts(TIMEOUT, TIMEOUT)
                .authorization("token", Optional.of(token));
    }

    public URI memberUri(String networkId, String memberId) {
        return http.uri(memberPath(networkId, memberId));
    }

    private static String memberPath(String networkId, String memberId) {
        return "/network/" + networkId + "/member/" + memberId;
    }

    public void authorize(String networkId, String memberId, String name, String description) {
        ObjectNode body = Json.object();
        body.put("name", name);
        body.put("description", description);
        body.putObject("config").put("authorized", true);
        Endpoint post = Endpoint.post(
                memberPath(networkId, memberId),
                "application/json",
                Json.bytes(body),
                "authorise member " + memberId + " on network " + networkId);
        Response r;
        try {
            r = http.send(post);
        } catch (TransportException e) {
            throw N0d3Exception.failure("ZeroTier Central at " + http.base() + " did not answer (" + e.reason() + ")");
        }
        if (r.authFailure())
            throw N0d3Exception.failure(http.refused(
                    r,
                    post,
                    "ZeroTier Central",
                    "set ZEROTIER_API_TOKEN_FILE (or ZEROTIER_API_TOKEN) to a valid token"));
        if (!r.ok())
            throw N0d3Exception.failure(
                    "ZeroTier Central answered HTTP " + r.status() + " to " + http.describe(post) + ": " + r.brief());
    }
}
