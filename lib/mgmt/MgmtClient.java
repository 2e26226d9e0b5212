package lib.mgmt;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import lib.cli.Log;
import lib.config.Settings;
import lib.http.Endpoint;
import lib.http.HttpTransport;
import lib.http.Response;
import lib.http.Retry;
import lib.http.TransportException;
import lib.secret.Secret;

/**
 * The management node's HTTP API (telemetry, registration, swarm managers) on lib/http's transport: base URL from
 * MGMT_NODE_URL or {@code management.api_endpoint}, {@code Authorization: Bearer} from API_TOKEN(_FILE), TLS
 * verified unless {@code management.verify_tls} is false, {@code management.timeout} for connecting and for each
 * read. Calls return the status and body; deciding what a status means is the caller's job.
 */
public final class MgmtClient {
    public static final String JSON = "application/json";
    private final HttpTransport http;

    public MgmtClient(URI base, Optional<Secret> token, Duration timeout, boolean verifyTls) {
        if (!verifyTls && "https".equals(base.getScheme())) {
            Log.warn("management.verify_tls is false: the management node's certificate is NOT checked");
        }
        this.http = HttpTransport.to(base)
                .timeouts(timeout, timeout)
                .verifyTls(verifyTls)
                .authorization("Bearer", token);
    }

    /** From the settings; empty when no management node is configured (standalone). */
    public static Optional<MgmtClient> fromSettings(Settings s) {
        Optional<URI> url = s.mgmtUrl(); // no lambda: a timer run links none on its way to the management node
        return url.isEmpty()
                ? Optional.empty()
                : Optional.of(new MgmtClient(url.get(), s.apiToken(), s.mgmtTimeout(), s.mgmtVerifyTls()));
    }

    public URI base() {
        return http.base();
    }

    /** The full URL of an API path ("/api/telemetry"). */
    public URI uri(String path) {
        return http.uri(path);
    }

    public Response send(Endpoint e) throws TransportException {
        return http.send(e);
    }

    public Response send(Endpoint e, Retry retry, Retry.Listener listener) throws TransportException {
        return http.send(e, retry, listener);
    }

    /** The one-line operator message for a 401 or 403 answer to {@code e}. */
    public String authMessage(Response r, Endpoint e) {
        return http.refused(r, e, "the management node", "set API_TOKEN_FILE (or API_TOKEN) to a valid token");
    }
}
