package lib.mgmt;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.cli.Version;
import lib.config.Settings;
import lib.secret.Secret;

/**
 * The management node's HTTP API (telemetry, registration, ...): base URL from MGMT_NODE_URL or
 * {@code management.api_endpoint}, {@code Authorization: Bearer} from API_TOKEN(_FILE), TLS verified
 * unless {@code management.verify_tls} is false, a connect and a request timeout on every call.
 * Calls return the status and body; deciding what a status means is the caller's job, with
 * {@link RetryPolicy} for what is worth retrying. The token never appears in a message.
 */
public final class MgmtClient {
    /** The answer to one call; {@code date} is the server's clock (its Date header), when it sent one. */
    public record Response(int status, String body, Optional<Instant> date) {
        public Response(int status, String body) {
            this(status, body, Optional.empty());
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The first 200 characters of the body on one line, for messages. */
        public String brief() {
            String b = body == null ? "" : body.strip().replaceAll("\\s+", " ");
            return b.length() > 200 ? b.substring(0, 200) + "..." : b;
        }
    }

    /** The call did not get an HTTP answer (connection refused, DNS, TLS, timeout). */
    public static final class TransportException extends IOException {
        private static final long serialVersionUID = 1L;
        private final boolean timeout;

        TransportException(String message, boolean timeout, Throwable cause) {
            super(message, cause);
            this.timeout = timeout;
        }

        public boolean timeout() {
            return timeout;
        }
    }

    private final URI base;
    private final Optional<Secret> token;
    private final Duration timeout;
    private final HttpClient http;

    public MgmtClient(URI base, Optional<Secret> token, Duration timeout, boolean verifyTls) {
        this.base = base;
        this.token = token;
        this.timeout = timeout;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER);
        if (!verifyTls && "https".equals(base.getScheme())) {
            Log.warn("management.verify_tls is false: the management node's certificate is NOT checked");
            b.sslContext(trustAll());
        }
        this.http = b.build();
    }

    /** From the settings; empty when no management node is configured (standalone). */
    public static Optional<MgmtClient> fromSettings(Settings s) {
        return s.mgmtUrl().map(u -> new MgmtClient(u, s.apiToken(), s.mgmtTimeout(), s.mgmtVerifyTls()));
    }

    public URI base() {
        return base;
    }

    public boolean hasToken() {
        return token.isPresent();
    }

    /** The full URL of an API path ("/api/telemetry"). */
    public URI uri(String path) {
        String b = base.toString().replaceAll("/+$", "");
        return URI.create(b + (path.startsWith("/") ? path : "/" + path));
    }

    /** POST a JSON body. {@code headers} may add e.g. an Idempotency-Key. */
    public Response postJson(String path, byte[] json, Map<String, String> headers) throws TransportException {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("User-Agent", "pr-cybr-n0d3/" + Version.VERSION)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        token.ifPresent(t -> r.header("Authorization", "Bearer " + t.reveal()));
        headers.forEach(r::header);
        return send(r.build());
    }

    public Response get(String path) throws TransportException {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(path)).timeout(timeout).header("Accept", "application/json")
                .header("User-Agent", "pr-cybr-n0d3/" + Version.VERSION).GET();
        token.ifPresent(t -> r.header("Authorization", "Bearer " + t.reveal()));
        return send(r.build());
    }

    private Response send(HttpRequest req) throws TransportException {
        String what = req.method() + " " + req.uri();
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(resp.statusCode(), resp.body(), resp.headers().firstValue("Date").flatMap(MgmtClient::httpDate));
        } catch (HttpTimeoutException e) {
            throw new TransportException(what + ": no answer within " + timeout.toMillis() + " ms", true, e);
        } catch (IOException e) {
            throw new TransportException(what + ": " + describe(e), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(what + ": interrupted", false, e);
        }
    }

    /** An HTTP Date header (RFC 1123), or empty when it is not one. */
    public static Optional<Instant> httpDate(String v) {
        try {
            return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException) return "connection refused";
            if (t instanceof java.net.UnknownHostException) return "unknown host " + t.getMessage();
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
                return "TLS failure: " + t.getMessage();
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** 401 or 403: the token is missing, wrong or not allowed; waiting will not help. */
    public static boolean authFailure(int status) {
        return status == 401 || status == 403;
    }

    /** The one-line operator message for an authentication failure. */
    public String authMessage(Response r, String path) {
        return "the management node refused " + (token.isPresent() ? "the API token from " + token.get().source() : "a request without an API token")
                + " (HTTP " + r.status() + " on POST " + uri(path) + ")" + (r.brief().isEmpty() ? "" : ": " + r.brief())
                + "; set API_TOKEN_FILE (or API_TOKEN) to a valid token";
    }

    private static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] c, String a) {}

                @Override
                public void checkServerTrusted(X509Certificate[] c, String a) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw N0d3Exception.failure("cannot set up TLS: " + e.getMessage());
        }
    }
}
