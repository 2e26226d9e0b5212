package lib.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import lib.cli.Version;
import lib.secret.Secret;

/**
 * The one HTTP transport of the project: calls ({@link Endpoint}s) to one base URL with a connect and a read
 * timeout, no proxy, no redirects, TLS verified unless turned off, an {@code Authorization: <scheme> <token>}
 * header when there is a token (only ever written there), and {@link Retry} for the calls worth trying again.
 * Answers come back as a {@link Response} whatever their status; no answer at all is a {@link TransportException}.
 * Over the JDK's {@link HttpURLConnection}; PATCH, which it cannot send, goes through {@link PatchSender}.
 * Why this client, with figures: docs/decisions/http-transport.md.
 */
public record HttpTransport(
        URI base,
        Duration connectTimeout,
        Duration readTimeout,
        boolean verifyTls,
        String accept,
        String userAgent,
        String authScheme,
        Optional<Secret> token) {
    private static final Set<String> URL_CONNECTION_METHODS = Set.of("GET", "POST", "PUT", "DELETE", "HEAD");

    /** Calls to {@code base}: 10 s timeouts, TLS verified, {@code Accept: application/json}, no token. */
    public static HttpTransport to(URI base) {
        Duration t = Duration.ofSeconds(10);
        return new HttpTransport(
                base, t, t, true, "application/json", "pr-cybr-n0d3/" + Version.VERSION, null, Optional.empty());
    }

    public HttpTransport timeouts(Duration connect, Duration read) {
        return new HttpTransport(base, connect, read, verifyTls, accept, userAgent, authScheme, token);
    }

    /** {@code false}: any certificate and host name is accepted (management.verify_tls false). */
    public HttpTransport verifyTls(boolean verify) {
        return new HttpTransport(base, connectTimeout, readTimeout, verify, accept, userAgent, authScheme, token);
    }

    public HttpTransport accept(String mediaType) {
        return new HttpTransport(base, connectTimeout, readTimeout, verifyTls, mediaType, userAgent, authScheme, token);
    }

    public HttpTransport userAgent(String agent) {
        return new HttpTransport(base, connectTimeout, readTimeout, verifyTls, accept, agent, authScheme, token);
    }

    /** {@code Authorization: <scheme> <token>} on every call ("Bearer", "token"); none when {@code token} is empty. */
    public HttpTransport authorization(String scheme, Optional<Secret> secret) {
        return new HttpTransport(base, connectTimeout, readTimeout, verifyTls, accept, userAgent, scheme, secret);
    }

    /** The full URL of a path below the base ("/api/telemetry"); the base itself for "". */
    public URI uri(String path) {
        if (path.isEmpty()) return base;
        String b = base.toString();
        int end = b.length();
        while (end > 0 && b.charAt(end - 1) == '/') end--; // trailing slashes off (no pattern on a timer run)
        b = b.substring(0, end);
        return URI.create(b + (path.startsWith("/") ? path : "/" + path));
    }

    /** "POST https://mgmt.example/api/telemetry", for messages. */
    public String describe(Endpoint e) {
        return e.method() + " " + uri(e.path());
    }

    /** One try. */
    public Response send(Endpoint e) throws TransportException {
        URI uri = uri(e.path());
        Map<String, String> headers = headers(e);
        if (!URL_CONNECTION_METHODS.contains(e.method())) return PatchSender.send(this, e, uri, headers);
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            if (!verifyTls && c instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(TrustAll.CONTEXT.getSocketFactory());
                https.setHostnameVerifier((host, session) -> true);
            }
            c.setConnectTimeout(millis(connectTimeout));
            c.setReadTimeout(millis(readTimeout));
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setRequestMethod(e.method());
            for (Map.Entry<String, String> h : headers.entrySet()) c.setRequestProperty(h.getKey(), h.getValue());
            if (e.body() != null) {
                // buffered, not setFixedLengthStreamingMode: in streaming mode a 401 becomes an HttpRetryException
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(e.body());
                }
            }
            int status = c.getResponseCode();
            if (status < 0) throw new IOException("not an HTTP answer");
            String text;
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, String> answerHeaders = new LinkedHashMap<>();
            for (int i = 1; c.getHeaderFieldKey(i) != null; i++) {
                answerHeaders.putIfAbsent(c.getHeaderFieldKey(i).toLowerCase(Locale.ROOT), c.getHeaderField(i));
            }
            return new Response(status, text, answerHeaders);
        } catch (SocketTimeoutException x) {
            throw timeout(e, x);
        } catch (IOException | IllegalArgumentException x) {
            throw failure(e, x);
        }
    }

    /**
     * Tries until an answer {@code retry} does not retry, or its attempts are used up: returns the last answer,
     * or throws the last transport failure. {@code listener} is told before each wait.
     */
    public Response send(Endpoint e, Retry retry, Retry.Listener listener) throws TransportException {
        for (int attempt = 1; ; attempt++) {
            Response answer = null;
            TransportException failure = null;
            try {
                answer = send(e);
            } catch (TransportException x) {
                failure = x;
            }
            boolean last = attempt >= retry.attempts();
            if (failure != null && (last || !retry.transportFailures())) throw failure;
            if (answer != null && (last || !retry.again().test(answer.status()))) return answer;
            Duration wait = retry.wait(attempt, answer);
            listener.retrying(
                    attempt,
                    answer == null
                            ? "no answer (" + failure.getMessage() + ")"
                            : "HTTP " + answer.status() + (answer.brief().isEmpty() ? "" : ": " + answer.brief()),
                    wait);
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                throw new TransportException(describe(e), "interrupted while waiting to try again", false, x);
            }
        }
    }

    /**
     * The one-line message for a 401/403: "{@code who} refused the API token from file /etc/t (HTTP 401 on
     * GET https://...): body; {@code fix}". Names where the token came from, never the token.
     */
    public String refused(Response r, Endpoint e, String who, String fix) {
        return who + " refused "
                + token.map(t -> "the API token from " + t.source()).orElse("a request without an API token")
                + " (HTTP " + r.status() + " on " + describe(e) + ")"
                + (r.brief().isEmpty() ? "" : ": " + r.brief()) + "; " + fix;
    }

    Map<String, String> headers(Endpoint e) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept", accept);
        h.put("User-Agent", userAgent);
        if (token.isPresent())
            h.put("Authorization", authScheme + " " + token.get().reveal());
        if (e.contentType() != null) h.put("Content-Type", e.contentType());
        h.putAll(e.headers());
        return h;
    }

    TransportException timeout(Endpoint e, Exception x) {
        boolean connect = x.getMessage() != null
                && x.getMessage().toLowerCase(Locale.ROOT).contains("connect");
        return new TransportException(
                describe(e),
                "no answer within " + (connect ? connectTimeout : readTimeout).toMillis() + " ms",
                true,
                x);
    }

    TransportException failure(Endpoint e, Exception x) {
        return new TransportException(describe(e), reason(x), false, x);
    }

    private static String reason(Throwable e) {
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

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    /**
     * A TLS context that accepts any certificate for any host (verify_tls false), made on first use. An extended
     * trust manager, so that the JDK does not wrap it in one that checks the host name after all.
     */
    static final class TrustAll {
        static final SSLContext CONTEXT = make();

        private static SSLContext make() {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(
                        null,
                        new TrustManager[] {
                            new X509ExtendedTrustManager() {
                                @Override
                                public void checkClientTrusted(X509Certificate[] c, String a) {}

                                @Override
                                public void checkServerTrusted(X509Certificate[] c, String a) {}

                                @Override
                                public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}

                                @Override
                                public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}

                                @Override
                                public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}

                                @Override
                                public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}

                                @Override
                                public X509Certificate[] getAcceptedIssuers() {
                                    return new X509Certificate[0];
                                }
                            }
                        },
                        new SecureRandom());
                return ctx;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
            }
        }
    }
}
