package lib.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import lib.secret.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ChildJvm;

/**
 * MgmtClient against loopback servers (the JDK's HttpServer and HttpsServer): what goes on the wire
 * (method, path, headers, body), statuses and bodies back, the Date header, timeouts, and TLS: a
 * self-signed certificate is refused unless management.verify_tls is false.
 */
class MgmtClientTest {
    record Seen(String method, String path, Map<String, List<String>> headers, String body) {}

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    HttpServer server;

    @TempDir
    Path work;

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    void handle(HttpExchange x, int status, String reply, long delayMillis) throws java.io.IOException {
        seen.add(new Seen(x.getRequestMethod(), x.getRequestURI().getPath(), Map.copyOf(x.getRequestHeaders()),
                new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        try {
            Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] b = reply.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) x.getResponseBody().write(b);
        x.close();
    }

    URI http(int status, String reply, long delayMillis) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> handle(x, status, reply, delayMillis));
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    static Optional<Secret> token() {
        return Optional.of(new Secret("mgmt-client-test-token-1", "API_TOKEN"));
    }

    @Test
    void postSendsTheBodyTheTokenAndTheHeadersAndReturnsStatusBodyAndDate() throws Exception {
        URI base = http(201, "{\"ok\":true}", 0);
        MgmtClient c = new MgmtClient(base, token(), Duration.ofSeconds(5), true);
        MgmtClient.Response r = c.postJson("/api/telemetry", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), Map.of("Idempotency-Key", "k-1"));
        assertEquals(201, r.status());
        assertEquals("{\"ok\":true}", r.body());
        // the JDK's HttpServer sends its own Date header: the server's clock, read back to the second
        assertTrue(Math.abs(Duration.between(r.date().orElseThrow(), java.time.Instant.now()).toSeconds()) <= 5, r.date().toString());
        Seen s = seen.get(0);
        assertEquals("POST", s.method());
        assertEquals("/api/telemetry", s.path());
        assertEquals("{\"a\":1}", s.body());
        assertEquals(List.of("Bearer mgmt-client-test-token-1"), s.headers().get("Authorization"));
        assertEquals(List.of("application/json"), s.headers().get("Content-type"));
        assertEquals(List.of("k-1"), s.headers().get("Idempotency-key"));
        assertTrue(s.headers().get("User-agent").get(0).startsWith("pr-cybr-n0d3/"));
    }

    @Test
    void errorStatusesComeBackWithTheirBodiesNotAsExceptions() throws Exception {
        for (int status : new int[] {401, 404, 503}) {
            stop();
            seen.clear();
            URI base = http(status, "{\"error\":\"status " + status + "\"}", 0);
            MgmtClient c = new MgmtClient(base, token(), Duration.ofSeconds(5), true);
            MgmtClient.Response r = c.postJson("/api/telemetry", "{}".getBytes(StandardCharsets.UTF_8), Map.of());
            assertEquals(status, r.status());
            assertEquals("{\"error\":\"status " + status + "\"}", r.body());
            assertEquals(1, seen.size(), "sent once, never retried by the transport");
        }
    }

    @Test
    void getWithoutATokenSendsNoAuthorization() throws Exception {
        URI base = http(200, "[]", 0);
        MgmtClient.Response r = new MgmtClient(base, Optional.empty(), Duration.ofSeconds(5), true).get("/api/swarm/managers");
        assertEquals(200, r.status());
        assertEquals("GET", seen.get(0).method());
        assertFalse(seen.get(0).headers().containsKey("Authorization"));
    }

    @Test
    void aSlowServerIsATimeoutAndARefusedConnectionIsSaidSo() throws Exception {
        URI base = http(201, "", 3000);
        MgmtClient slow = new MgmtClient(base, token(), Duration.ofMillis(300), true);
        MgmtClient.TransportException t = assertThrows(MgmtClient.TransportException.class,
                () -> slow.postJson("/api/telemetry", "{}".getBytes(StandardCharsets.UTF_8), Map.of()));
        assertTrue(t.timeout(), t.getMessage());
        assertTrue(t.getMessage().contains("no answer within 300 ms"), t.getMessage());
        assertFalse(t.getMessage().contains("mgmt-client-test-token-1"));

        int port = server.getAddress().getPort();
        stop();
        server = null;
        MgmtClient gone = new MgmtClient(URI.create("http://127.0.0.1:" + port), token(), Duration.ofSeconds(2), true);
        MgmtClient.TransportException refused = assertThrows(MgmtClient.TransportException.class, () -> gone.get("/api/x"));
        assertFalse(refused.timeout());
        assertTrue(refused.getMessage().endsWith(": connection refused"), refused.getMessage());
    }

    /** A self-signed certificate made with the JDK's keytool, served by HttpsServer. */
    URI https() throws Exception {
        Path ks = work.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        ChildJvm.Result made = ChildJvm.run(List.of(keytool, "-genkeypair", "-alias", "mgmt", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit"), null, work);
        assertEquals(0, made.exit(), made.stderr());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(ks.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(ctx));
        s.createContext("/", x -> handle(x, 201, "{\"tls\":true}", 0));
        s.start();
        server = s;
        return URI.create("https://127.0.0.1:" + s.getAddress().getPort());
    }

    @Test
    void aSelfSignedCertificateIsRefusedUnlessVerifyTlsIsFalse() throws Exception {
        URI base = https();
        MgmtClient verifying = new MgmtClient(base, token(), Duration.ofSeconds(5), true);
        MgmtClient.TransportException t = assertThrows(MgmtClient.TransportException.class,
                () -> verifying.postJson("/api/telemetry", "{}".getBytes(StandardCharsets.UTF_8), Map.of()));
        assertTrue(t.getMessage().contains("TLS failure"), t.getMessage());
        assertEquals(0, seen.size(), "nothing reached the server over an unverified connection");

        MgmtClient trusting = new MgmtClient(base, token(), Duration.ofSeconds(5), false);
        MgmtClient.Response r = trusting.postJson("/api/telemetry", "{\"b\":2}".getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(201, r.status());
        assertEquals("{\"tls\":true}", r.body());
        assertEquals("{\"b\":2}", seen.get(0).body());
    }
}
