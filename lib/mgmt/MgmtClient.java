package lib.mgmt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
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
 * unless {@code management.verify_tls} is false, a connect and a read timeout on every call.
 * Calls return the status and body; deciding what a status means is the caller's job, with
 * {@link RetryPolicy} for what is worth retrying. The token never appears in a message.
 *
 * <p>Over the JDK's {@link HttpURLConnection}, not {@code java.net.http.HttpClient}: a telemetry timer
 * run makes one or two calls, and building an HttpClient costs ~150-250 ms of CPU on a cold JVM (its
 * selector thread, and the default TLS context with the whole system trust store even for an http://
 * URL), where an HttpURLConnection POST costs ~15 ms and loads the trust store only for https.
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
    /** Null: the JDK's default TLS checks; else trust-all (management.verify_tls false). */
    private final SSLSocketFactory insecure;

    public MgmtClient(URI base, Optional<Secret> token, Duration timeout, boolean verifyTls) {
        this.base = base;
        this.token = token;
        this.timeout = timeout;
        if (!verifyTls && "https".equals(base.getScheme())) {
            Log.warn("management.verify_tls is false: the management node's certificate is NOT checked");
            this.insecure = trustAll().getSocketFactory();
        } else {
            this.insecure = null;
        }
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
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.putAll(headers);
        return send("POST", uri(path), h, json);
    }

    public Response get(String path) throws TransportException {
        return send("GET", uri(path), Map.of(), null);
    }

    private Response send(String method, URI uri, Map<String, String> headers, byte[] body) throws TransportException {
        String what = method + " " + uri;
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            if (insecure != null && c instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(insecure);
                https.setHostnameVerifier((host, session) -> true);
            }
            int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
            c.setConnectTimeout(millis);
            c.setReadTimeout(millis);
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setRequestMethod(method);
            c.setRequestProperty("Accept", "application/json");
            c.setRequestProperty("User-Agent", "pr-cybr-n0d3/" + Version.VERSION);
            if (token.isPresent()) c.setRequestProperty("Authorization", "Bearer " + token.get().reveal());
            headers.forEach(c::setRequestProperty);
            if (body != null) {
                // buffered, not setFixedLengthStreamingMode: in streaming mode a 401 becomes an HttpRetryException
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            if (status < 0) throw new IOException("not an HTTP answer");
            String text;
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String date = c.getHeaderField("Date");
            return new Response(status, text, date == null ? Optional.empty() : httpDate(date));
        } catch (SocketTimeoutException e) {
            throw new TransportException(what + ": no answer within " + timeout.toMillis() + " ms", true, e);
        } catch (IOException | IllegalArgumentException e) {
            throw new TransportException(what + ": " + describe(e), false, e);
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
