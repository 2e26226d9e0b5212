package support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The tests' one loopback HTTP(S) server, for the APIs that have no local counterpart (the management node,
 * Terraform Cloud, ZeroTier Central) and for scripts that call a URL. It records every request that reaches it
 * (method, path, query, headers, body) and answers from, in this order: a {@link Handler} for the longest matching
 * path prefix ({@link #on}); the next of the answers queued with {@link #then}; the standing {@link #answer}
 * (200, empty, by default). The JDK's server stamps its own Date header on every answer. A fake that uses it says
 * where the format of its answers comes from.
 */
public final class FakeHttp implements AutoCloseable {
    /** One request as it arrived. Header names are kept in lower case. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        /** The first value of a header, or null. */
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** "POST /api/telemetry" (with "?query" when there is one). */
        public String line() {
            return method + " " + path + (query == null ? "" : "?" + query);
        }

        @Override
        public String toString() {
            return line();
        }
    }

    /** What to answer: a status, a body, headers, and a delay before the answer is sent. */
    public record Answer(int status, byte[] body, Map<String, String> headers, long delayMillis) {
        public static Answer of(int status) {
            return new Answer(status, new byte[0], Map.of(), 0);
        }

        public static Answer json(int status, String json) {
            return text(status, "application/json", json);
        }

        public static Answer text(int status, String contentType, String body) {
            return new Answer(status, body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", contentType), 0);
        }

        public Answer header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Answer(status, body, h, delayMillis);
        }

        public Answer delayed(long millis) {
            return new Answer(status, body, headers, millis);
        }
    }

    @FunctionalInterface
    public interface Handler {
        Answer answer(Request request) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-http");
        t.setDaemon(true);
        return t;
    });
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Handler> routes = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Deque<Answer> queued = new ArrayDeque<>();
    private volatile Answer standing = Answer.of(200);
    private final AtomicBoolean closed = new AtomicBoolean();

    private FakeHttp(HttpServer server) {
        this.server = server;
        server.setExecutor(pool);
        server.createContext("/", this::exchange);
        server.start();
    }

    /** Plain HTTP on 127.0.0.1, a free port. */
    public static FakeHttp http() throws IOException {
        return new FakeHttp(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32));
    }

    /** HTTPS on 127.0.0.1 with a self-signed certificate (CN and IP SAN 127.0.0.1) made by the JDK's keytool in {@code dir}. */
    public static FakeHttp https(Path dir) throws Exception {
        Path ks = dir.resolve("fake-http.p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        ChildJvm.Result made = ChildJvm.run(
                List.of(
                        keytool,
                        "-genkeypair",
                        "-alias",
                        "fake",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        ks.toString(),
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit"),
                null,
                dir);
        assertEquals(0, made.exit(), made.stderr());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(ks.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        s.setHttpsConfigurator(new HttpsConfigurator(ctx));
        return new FakeHttp(s);
    }

    /** Requests whose path starts with {@code prefix} are answered by {@code h} (the longest prefix wins). */
    public FakeHttp on(String prefix, Handler h) {
        routes.put(prefix, h);
        return this;
    }

    /** The next requests no handler takes get these answers, in order. */
    public FakeHttp then(Answer... answers) {
        synchronized (queued) {
            queued.addAll(List.of(answers));
        }
        return this;
    }

    /** The answer to every request no handler or queued answer takes. */
    public FakeHttp answer(Answer a) {
        standing = a;
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** "http://127.0.0.1:PORT" (https for {@link #https}), no trailing slash. */
    public String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + port();
    }

    public URI uri() {
        return URI.create(url());
    }

    /** Every request so far, in arrival order. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The requests with this method. */
    public List<Request> requests(String method) {
        return requests().stream().filter(r -> r.method().equals(method)).toList();
    }

    /** The one request so far; fails when there were none or several. */
    public Request only() {
        List<Request> all = requests();
        assertEquals(1, all.size(), "requests: " + all);
        return all.get(0);
    }

    public void clear() {
        requests.clear();
    }

    /** Stops listening (a later connection is refused) and ends the handlers; again is a no-op. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        server.stop(0);
        pool.shutdownNow();
    }

    private void exchange(HttpExchange x) throws IOException {
        try (x) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            URI u = x.getRequestURI();
            Request r = new Request(
                    x.getRequestMethod(),
                    u.getPath(),
                    u.getRawQuery(),
                    Map.copyOf(headers),
                    x.getRequestBody().readAllBytes());
            requests.add(r);
            Answer a;
            try {
                a = answerTo(r);
            } catch (RuntimeException e) {
                a = Answer.text(500, "text/plain", "fake-http handler failed: " + e);
            }
            if (a.delayMillis() > 0) {
                try {
                    Thread.sleep(a.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            a.headers().forEach((k, v) -> x.getResponseHeaders().set(k, v));
            boolean noBody =
                    a.body().length == 0 || r.method().equals("HEAD") || a.status() == 204 || a.status() == 304;
            x.sendResponseHeaders(a.status(), noBody ? -1 : a.body().length);
            if (!noBody) {
                try (OutputStream out = x.getResponseBody()) {
                    out.write(a.body());
                }
            }
        }
    }

    private Answer answerTo(Request r) throws IOException {
        Handler h;
        synchronized (routes) {
            h = routes.entrySet().stream()
                    .filter(e -> r.path().startsWith(e.getKey()))
                    .max(Comparator.comparingInt(e -> e.getKey().length()))
                    .map(Map.Entry::getValue)
                    .orElse(null);
        }
        if (h != null) return h.answer(r);
        synchronized (queued) {
            if (!queued.isEmpty()) return queued.poll();
        }
        return standing;
    }
}
