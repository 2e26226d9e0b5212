package lib.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import lib.cli.N0d3Exception;
import lib.config.Settings;
import lib.secret.Secret;

/**
 * The management node's HTTP API (management.api_endpoint / MGMT_NODE_URL), on the JDK's HttpClient.
 * Requests carry {@code Authorization: Bearer API_TOKEN} when a token is configured. Failures are
 * one-line operational errors (exit 1) naming the URL; the token never appears in them.
 */
public final class MgmtApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final Optional<Secret> token;
    private final Duration timeout;
    private final HttpClient http;

    public MgmtApi(URI base, Optional<Secret> token, Duration timeout, boolean verifyTls) {
        this.base = base;
        this.token = token;
        this.timeout = timeout;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER);
        if (!verifyTls) b.sslContext(trustAll());
        this.http = b.build();
    }

    /** The configured management node, or empty when the node is standalone. */
    public static Optional<MgmtApi> from(Settings s) {
        return s.mgmtUrl().map(u -> new MgmtApi(u, s.apiToken(), s.mgmtTimeout(), s.mgmtVerifyTls()));
    }

    public URI base() {
        return base;
    }

    /** A JSON answer and the server's clock (its Date header), when it sent one. */
    public record Answer(JsonNode body, Optional<Instant> serverDate, Instant receivedAt) {}

    /** GET base + path, expecting 200 and JSON. */
    public Answer getJson(String path) {
        URI u = URI.create(base + path);
        HttpRequest.Builder r = HttpRequest.newBuilder(u).timeout(timeout).header("Accept", "application/json").GET();
        token.ifPresent(t -> r.header("Authorization", "Bearer " + t.reveal()));
        HttpResponse<String> resp;
        try {
            resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw N0d3Exception.failure("management node " + u + ": no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw N0d3Exception.failure("management node " + u + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw N0d3Exception.failure("management node " + u + ": interrupted");
        }
        Instant received = Instant.now();
        if (resp.statusCode() == 401 || resp.statusCode() == 403) {
            throw N0d3Exception.failure("management node " + u + ": HTTP " + resp.statusCode()
                    + (token.isEmpty() ? " (no API_TOKEN or API_TOKEN_FILE is set)" : " (the API token from " + token.get().source() + " was refused)"));
        }
        if (resp.statusCode() != 200) {
            throw N0d3Exception.failure("management node " + u + ": HTTP " + resp.statusCode() + ", expected 200");
        }
        JsonNode body;
        try {
            body = JSON.readTree(resp.body());
        } catch (IOException e) {
            throw N0d3Exception.failure("management node " + u + ": the answer is not JSON");
        }
        Optional<Instant> date = resp.headers().firstValue("Date").flatMap(MgmtApi::httpDate);
        return new Answer(body, date, received);
    }

    public static Optional<Instant> httpDate(String v) {
        try {
            return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static SSLContext trustAll() {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return c;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
