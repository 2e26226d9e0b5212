package lib.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import lib.cli.Log;
import lib.http.Endpoint;
import lib.http.Response;
import lib.http.TransportException;
import lib.secret.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.FakeHttp;
import support.FakeHttp.Answer;

/**
 * MgmtClient against the loopback fake server (support.FakeHttp, HTTP and HTTPS): what goes on the wire
 * (method, path, headers, body), statuses and bodies back, the Date header, timeouts, the 401/403 message, and
 * TLS: a self-signed certificate is refused unless management.verify_tls is false, which is warned about.
 */
class MgmtClientTest {
    FakeHttp server;

    @TempDir
    Path work;

    @AfterEach
    void stop() {
        if (server != null) server.close();
        Log.reset();
    }

    URI http(Answer a) throws Exception {
        server = FakeHttp.http().answer(a);
        return URI.create(server.url() + "/");
    }

    static Optional<Secret> token() {
        return Optional.of(new Secret("mgmt-client-test-token-1", "API_TOKEN"));
    }

    static Endpoint telemetry(String json) {
        return Endpoint.post(
                "/api/telemetry", MgmtClient.JSON, json.getBytes(StandardCharsets.UTF_8), "deliver 1 sample(s)");
    }

    @Test
    void postSendsTheBodyTheTokenAndTheHeadersAndReturnsStatusBodyAndDate() throws Exception {
        URI base = http(Answer.json(201, "{\"ok\":true}"));
        MgmtClient c = new MgmtClient(base, token(), Duration.ofSeconds(5), true);
        Response r = c.send(telemetry("{\"a\":1}").header("Idempotency-Key", "k-1"));
        assertEquals(201, r.status());
        assertEquals("{\"ok\":true}", r.body());
        // the JDK's HttpServer sends its own Date header: the server's clock, read back to the second
        assertTrue(
                Math.abs(Duration.between(r.date().orElseThrow(), java.time.Instant.now())
                                .toSeconds())
                        <= 5,
                r.date().toString());
        FakeHttp.Request s = server.only();
        assertEquals("POST", s.method());
        assertEquals("/api/telemetry", s.path());
        assertEquals("{\"a\":1}", s.text());
        assertEquals("Bearer mgmt-client-test-token-1", s.header("Authorization"));
        assertEquals("application/json", s.header("Content-Type"));
        assertEquals("application/json", s.header("Accept"));
        assertEquals("k-1", s.header("Idempotency-Key"));
        assertTrue(s.header("User-Agent").startsWith("pr-cybr-n0d3/"), s.header("User-Agent"));
    }

    @Test
    void errorStatusesComeBackWithTheirBodiesNotAsExceptions() throws Exception {
        for (int status : new int[] {401, 404, 503}) {
            stop();
            URI base = http(Answer.json(status, "{\"error\":\"status " + status + "\"}"));
            MgmtClient c = new MgmtClient(base, token(), Duration.ofSeconds(5), true);
            Response r = c.send(telemetry("{}"));
            assertEquals(status, r.status());
            assertEquals("{\"error\":\"status " + status + "\"}", r.body());
            assertEquals(1, server.requests().size(), "sent once, never retried by the transport");
        }
    }

    @Test
    void getWithoutATokenSendsNoAuthorization() throws Exception {
        URI base = http(Answer.json(200, "[]"));
        Response r = new MgmtClient(base, Optional.empty(), Duration.ofSeconds(5), true)
                .send(Endpoint.get("/api/swarm/managers", "fetch"));
        assertEquals(200, r.status());
        assertEquals("GET", server.only().method());
        assertEquals("/api/swarm/managers", server.only().path());
        assertNull(server.only().header("Authorization"));
    }

    @Test
    void aSlowServerIsATimeoutAndARefusedConnectionIsSaidSo() throws Exception {
        URI base = http(Answer.of(201).delayed(3000));
        MgmtClient slow = new MgmtClient(base, token(), Duration.ofMillis(300), true);
        TransportException t = assertThrows(TransportException.class, () -> slow.send(telemetry("{}")));
        assertTrue(t.timeout(), t.getMessage());
        assertTrue(t.getMessage().contains("no answer within 300 ms"), t.getMessage());
        assertFalse(t.getMessage().contains("mgmt-client-test-token-1"));

        int port = server.port();
        stop();
        server = null;
        MgmtClient gone = new MgmtClient(URI.create("http://127.0.0.1:" + port), token(), Duration.ofSeconds(2), true);
        TransportException refused =
                assertThrows(TransportException.class, () -> gone.send(Endpoint.get("/api/x", "x")));
        assertFalse(refused.timeout());
        assertTrue(refused.getMessage().endsWith(": connection refused"), refused.getMessage());
        assertEquals("GET http://127.0.0.1:" + port + "/api/x: connection refused", refused.getMessage());
    }

    @Test
    void aSelfSignedCertificateIsRefusedUnlessVerifyTlsIsFalse() throws Exception {
        server = FakeHttp.https(work).answer(Answer.json(201, "{\"tls\":true}"));
        URI base = server.uri();
        MgmtClient verifying = new MgmtClient(base, token(), Duration.ofSeconds(5), true);
        TransportException t = assertThrows(TransportException.class, () -> verifying.send(telemetry("{}")));
        assertTrue(t.getMessage().contains("TLS failure"), t.getMessage());
        assertEquals(0, server.requests().size(), "nothing reached the server over an unverified connection");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Log.redirect(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        MgmtClient trusting = new MgmtClient(base, token(), Duration.ofSeconds(5), false);
        assertTrue(
                err.toString(StandardCharsets.UTF_8)
                        .contains("management.verify_tls is false: the management node's certificate is NOT checked"),
                err.toString(StandardCharsets.UTF_8));
        Response r = trusting.send(telemetry("{\"b\":2}"));
        assertEquals(201, r.status());
        assertEquals("{\"tls\":true}", r.body());
        assertEquals("{\"b\":2}", server.only().text());
        assertEquals("Bearer mgmt-client-test-token-1", server.only().header("Authorization"));
    }

    @Test
    void theRefusalMessageNamesTheTokenSourceTheCallAndTheFixNeverTheToken() throws Exception {
        URI base = http(Answer.json(403, "{\"error\":\"forbidden\"}"));
        MgmtClient c = new MgmtClient(base, token(), Duration.ofSeconds(5), true);
        Endpoint e = telemetry("{}");
        Response r = c.send(e);
        assertTrue(r.authFailure());
        assertEquals(
                "the management node refused the API token from API_TOKEN (HTTP 403 on POST " + server.url()
                        + "/api/telemetry): "
                        + "{\"error\":\"forbidden\"}; set API_TOKEN_FILE (or API_TOKEN) to a valid token",
                c.authMessage(r, e));
        MgmtClient anonymous = new MgmtClient(base, Optional.empty(), Duration.ofSeconds(5), true);
        assertTrue(
                anonymous
                        .authMessage(r, e)
                        .startsWith("the management node refused a request without an API token (HTTP 403 on POST "),
                anonymous.authMessage(r, e));
    }
}
