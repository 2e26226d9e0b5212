package lib.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The calls {@link java.net.HttpURLConnection} refuses to send (PATCH), through the JDK's {@code java.net.http.HttpClient}
 * with the transport's timeouts, TLS choice and headers. A class of its own so that the HttpClient classes load
 * only when such a call is made (tfc_sync), never in a telemetry run.
 */
final class PatchSender {
    private PatchSender() {}

    static Response send(HttpTransport t, Endpoint e, URI uri, Map<String, String> headers) throws TransportException {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(t.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (!t.verifyTls()) b.sslContext(HttpTransport.TrustAll.CONTEXT);
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
                .timeout(t.readTimeout())
                .method(
                        e.method(),
                        e.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(e.body()));
        headers.forEach(rb::header);
        try {
            HttpResponse<String> r = b.build().send(rb.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> h = new TreeMap<>();
            r.headers().map().forEach((k, v) -> {
                if (!v.isEmpty()) h.put(k.toLowerCase(Locale.ROOT), v.get(0));
            });
            return new Response(r.statusCode(), r.body(), h);
        } catch (HttpConnectTimeoutException x) {
            throw t.timeout(e, x);
        } catch (HttpTimeoutException x) {
            throw new TransportException(
                    t.describe(e), "no answer within " + t.readTimeout().toMillis() + " ms", true, x);
        } catch (IOException | IllegalArgumentException x) {
            throw t.failure(e, x);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new TransportException(t.describe(e), "interrupted", false, x);
        }
    }
}
