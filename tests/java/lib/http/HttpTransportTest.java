package lib.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import lib.secret.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.FakeHttp;
import support.FakeHttp.Answer;

/**
 * The transport against the loopback fake server: the headers every call carries, PATCH (which HttpURLConnection
 * cannot send) on the same wire, the retry loop (which answers it retries, how often, how long it waits, what it
 * says), Retry-After, and redaction of what goes into messages.
 */
class HttpTransportTest {
    static final Secret TOKEN = new Secret("http-transport-test-token-7f3a", "environment TEST_TOKEN");
    FakeHttp server;

    @TempDir
    Path work;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    HttpTransport to(FakeHttp s) {
        return HttpTransport.to(s.uri()).timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyCallCarriesAcceptUserAgentAndTheTokenInItsScheme() throws Exception {
        server = FakeHttp.http().answer(Answer.json(200, "{}"));
        HttpTransport t = to(server)
                .accept("application/vnd.api+json")
                .userAgent("agent/1")
                .authorization("token", Optional.of(TOKEN));
        t.send(Endpoint.get("/x", "read x"));
        FakeHttp.Request r = server.only();
        assertEquals("application/vnd.api+json", r.header("Accept"));
        assertEquals("agent/1", r.header("User-Agent"));
        assertEquals("token http-transport-test-token-7f3a", r.header("Authorization"));
        assertNull(r.header("Content-Type"), "no body, no Content-Type");
        assertEquals(0, r.body().length);
    }

    @Test
    void patchGoesOnTheWireExactlyAsAPostDoes() throws Exception {
        server = FakeHttp.http().answer(Answer.json(200, "{\"done\":1}").header("X-Request-Id", "r-1"));
        HttpTransport t = to(server).authorization("Bearer", Optional.of(TOKEN));
        List<Response> answers = new ArrayList<>();
        for (String method : List.of("POST", "PATCH")) {
            answers.add(t.send(new Endpoint(
                            method,
                            "/api/v2/vars/var-1",
                            "application/vnd.api+json",
                            utf8("{\"data\":{}}"),
                            java.util.Map.of(),
                            "update")
                    .header("X-Extra", "yes")));
        }
        List<FakeHttp.Request> sent = server.requests();
        assertEquals(
                List.of("POST /api/v2/vars/var-1", "PATCH /api/v2/vars/var-1"),
                sent.stream().map(FakeHttp.Request::line).toList());
        for (String h : List.of("Content-Type", "Accept", "Authorization", "User-Agent", "X-Extra")) {
            assertEquals(sent.get(0).header(h), sent.get(1).header(h), h);
        }
        assertEquals("Bearer http-transport-test-token-7f3a", sent.get(1).header("Authorization"));
        assertEquals("{\"data\":{}}", sent.get(1).text());
        assertEquals(sent.get(0).text(), sent.get(1).text());
        for (Response r : answers) {
            assertEquals(200, r.status());
            assertEquals("{\"done\":1}", r.body());
            assertEquals(Optional.of("r-1"), r.header("X-Request-Id"));
            assertTrue(r.date().isPresent(), r.headers().toString());
        }
    }

    @Test
    void patchHasTheSameTimeoutsRefusalAndTlsChoiceAsTheOtherMethods() throws Exception {
        server = FakeHttp.http().answer(Answer.of(200).delayed(3000));
        HttpTransport slow = HttpTransport.to(server.uri()).timeouts(Duration.ofSeconds(2), Duration.ofMillis(300));
        TransportException t = assertThrows(
                TransportException.class, () -> slow.send(Endpoint.patch("/p", "text/plain", utf8("x"), "p")));
        assertTrue(t.timeout());
        assertEquals("PATCH " + server.url() + "/p: no answer within 300 ms", t.getMessage());
        int port = server.port();
        server.close();
        TransportException refused = assertThrows(
                TransportException.class,
                () -> HttpTransport.to(URI.create("http://127.0.0.1:" + port))
                        .send(Endpoint.patch("/p", "text/plain", utf8("x"), "p")));
        assertEquals("connection refused", refused.reason());

        server = FakeHttp.https(work).answer(Answer.of(204));
        HttpTransport verifying = HttpTransport.to(server.uri());
        TransportException tls = assertThrows(
                TransportException.class, () -> verifying.send(Endpoint.patch("/p", "text/plain", utf8("x"), "p")));
        assertTrue(tls.reason().startsWith("TLS failure"), tls.getMessage());
        assertEquals(0, server.requests().size());
        assertEquals(
                204,
                verifying
                        .verifyTls(false)
                        .send(Endpoint.patch("/p", "text/plain", utf8("x"), "p"))
                        .status());
        assertEquals("x", server.only().text());
    }

    @Test
    void retriesWhatTheRetryAcceptsWaitingTheBackOffAndSaysSo() throws Exception {
        server = FakeHttp.http()
                .then(Answer.json(503, "{\"error\":\"busy\"}"), Answer.of(502))
                .answer(Answer.json(201, "{}"));
        List<String> told = new ArrayList<>();
        Retry retry = new Retry(4, RetryPolicy.doubling(Duration.ofMillis(100)), RetryPolicy::retryable, true, false);
        long t0 = System.nanoTime();
        Response r = to(server)
                .send(
                        Endpoint.post("/r", "application/json", utf8("{}"), "r"),
                        retry,
                        (i, why, wait) -> told.add(i + " " + why + " " + wait.toMillis()));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(201, r.status());
        assertEquals(3, server.requests().size());
        assertEquals(List.of("1 HTTP 503: {\"error\":\"busy\"} 100", "2 HTTP 502 200"), told);
        assertTrue(ms >= 300, "waited 100 + 200 ms, took " + ms);
    }

    @Test
    void anAnswerTheRetryDoesNotAcceptAndTheLastAttemptAreReturnedAsTheyAre() throws Exception {
        server = FakeHttp.http().then(Answer.of(503), Answer.json(401, "{}")).answer(Answer.of(201));
        Retry retry = new Retry(5, RetryPolicy.doubling(Duration.ofMillis(1)), RetryPolicy::retryable, true, false);
        assertEquals(
                401,
                to(server)
                        .send(Endpoint.get("/r", "r"), retry, (i, why, w) -> {})
                        .status());
        assertEquals(2, server.requests().size(), "a 401 is not tried again");

        server.close();
        server = FakeHttp.http().answer(Answer.of(503));
        List<Integer> told = new ArrayList<>();
        Retry three = new Retry(3, RetryPolicy.doubling(Duration.ofMillis(1)), RetryPolicy::retryable, true, false);
        assertEquals(
                503,
                to(server)
                        .send(Endpoint.get("/r", "r"), three, (i, why, w) -> told.add(i))
                        .status());
        assertEquals(3, server.requests().size());
        assertEquals(List.of(1, 2), told, "no wait after the last try");
    }

    @Test
    void noAnswerIsRetriedOnlyWhenTheRetrySaysSoAndTheLastFailureIsThrown() throws Exception {
        server = FakeHttp.http();
        int port = server.port();
        server.close();
        server = null;
        HttpTransport gone = HttpTransport.to(URI.create("http://127.0.0.1:" + port));
        List<String> told = new ArrayList<>();
        Retry retry = new Retry(3, RetryPolicy.doubling(Duration.ofMillis(1)), RetryPolicy::retryable, true, false);
        TransportException e = assertThrows(
                TransportException.class,
                () -> gone.send(Endpoint.get("/r", "r"), retry, (i, why, w) -> told.add(why)));
        assertEquals(2, told.size(), told.toString());
        assertEquals("no answer (GET http://127.0.0.1:" + port + "/r: connection refused)", told.get(0));
        assertEquals("connection refused", e.reason());
        told.clear();
        Retry answersOnly = new Retry(3, RetryPolicy.doubling(Duration.ofMillis(1)), s -> s == 429, false, true);
        assertThrows(
                TransportException.class,
                () -> gone.send(Endpoint.get("/r", "r"), answersOnly, (i, why, w) -> told.add(why)));
        assertEquals(List.of(), told);
    }

    @Test
    void retryAfterIsHonouredUpToTheBackOffsMaximum() throws Exception {
        server = FakeHttp.http()
                .then(
                        Answer.of(429).header("Retry-After", "1"),
                        Answer.of(429).header("Retry-After", "3600"),
                        Answer.of(429).header("X-RateLimit-Reset", "0.25"),
                        Answer.of(429))
                .answer(Answer.of(200));
        List<Long> waits = new ArrayList<>();
        Retry retry = new Retry(
                6, new RetryPolicy(Duration.ofMillis(10), Duration.ofSeconds(2), false), s -> s == 429, false, true);
        assertEquals(
                200,
                to(server)
                        .send(Endpoint.get("/r", "r"), retry, (i, why, w) -> waits.add(w.toMillis()))
                        .status());
        assertEquals(
                List.of(1000L, 2000L, 250L, 80L),
                waits,
                "Retry-After seconds, capped at 2 s, X-RateLimit-Reset, then the back-off (10 ms * 2^3)");
    }

    @Test
    void retryAfterForms() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        String inFive =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(5).atOffset(ZoneOffset.UTC));
        String past =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(now.minusSeconds(5).atOffset(ZoneOffset.UTC));
        assertEquals(
                Optional.of(Duration.ofSeconds(7)), answer("Retry-After", " 7 ").retryAfter(now));
        assertEquals(Optional.of(Duration.ZERO), answer("Retry-After", "-3").retryAfter(now));
        assertEquals(
                Optional.of(Duration.ofSeconds(5)),
                answer("Retry-After", inFive).retryAfter(now));
        assertEquals(Optional.of(Duration.ZERO), answer("Retry-After", past).retryAfter(now));
        assertEquals(
                Optional.of(Duration.ofMillis(1500)),
                answer("X-RateLimit-Reset", "1.5").retryAfter(now));
        assertEquals(Optional.empty(), answer("Retry-After", "soon").retryAfter(now));
        assertEquals(Optional.empty(), answer("X-RateLimit-Reset", "later").retryAfter(now));
        assertEquals(Optional.empty(), new Response(429, "", java.util.Map.of()).retryAfter(now));
        assertEquals(
                Instant.parse("2015-10-21T07:28:00Z"),
                Response.httpDate("Wed, 21 Oct 2015 07:28:00 GMT").orElseThrow());
        assertTrue(Response.httpDate("yesterday").isEmpty());
    }

    static Response answer(String header, String value) {
        return new Response(429, "", java.util.Map.of(header.toLowerCase(Locale.ROOT), value));
    }

    @Test
    void messagesAreRedactedAndCutToOneLine() throws Exception {
        String body = "{\"error\": \"bad token " + TOKEN.reveal() + "\",\n \"detail\": \"" + "x".repeat(300) + "\"}";
        server = FakeHttp.http().answer(Answer.json(401, body));
        HttpTransport t = to(server).authorization("Bearer", Optional.of(TOKEN));
        Endpoint e = Endpoint.post("/login", "application/json", utf8("{}"), "log in");
        Response r = t.send(e);
        assertEquals(body, r.body(), "the body itself is the server's");
        assertFalse(r.brief().contains(TOKEN.reveal()), r.brief());
        assertFalse(r.brief().contains("\n"));
        assertEquals(203, r.brief().length(), "200 characters and '...'");
        String msg = t.refused(r, e, "the test API", "set TEST_TOKEN");
        assertTrue(
                msg.startsWith("the test API refused the API token from environment TEST_TOKEN (HTTP 401 on POST "
                        + server.url() + "/login): {\"error\": \"bad token ***\""),
                msg);
        assertTrue(msg.endsWith("; set TEST_TOKEN"), msg);

        int port = server.port();
        server.close();
        TransportException x = assertThrows(
                TransportException.class,
                () -> HttpTransport.to(URI.create("http://user:pa55w0rd-secret@127.0.0.1:" + port))
                        .send(Endpoint.get("/", "root")));
        assertEquals("GET http://user:***@127.0.0.1:" + port + "/: connection refused", x.getMessage());
    }

    @Test
    void pathsAreJoinedToTheBaseWithOneSlash() {
        for (String base :
                List.of("https://mgmt.example/api", "https://mgmt.example/api/", "https://mgmt.example/api//")) {
            HttpTransport t = HttpTransport.to(URI.create(base));
            assertEquals(URI.create("https://mgmt.example/api/telemetry"), t.uri("/telemetry"), base);
            assertEquals(URI.create("https://mgmt.example/api/telemetry"), t.uri("telemetry"), base);
            assertEquals(URI.create(base), t.uri(""), "the base itself");
        }
        assertEquals(
                URI.create("http://h:8080/x"),
                HttpTransport.to(URI.create("http://h:8080/")).uri("/x"));
    }

    @Test
    void backOffCurves() {
        RetryPolicy p = new RetryPolicy(Duration.ofSeconds(30), Duration.ofMinutes(15));
        assertEquals(Duration.ZERO, p.ceiling(0));
        assertEquals(
                List.of(30L, 60L, 120L, 240L, 480L, 900L, 900L),
                List.of(1, 2, 3, 4, 5, 6, 20).stream()
                        .map(n -> p.ceiling(n).toSeconds())
                        .toList());
        for (int n = 1; n <= 8; n++) {
            for (int k = 0; k < 50; k++) {
                long d = p.delay(n).toMillis();
                long c = p.ceiling(n).toMillis();
                assertTrue(d >= c / 2 && d <= c, "jitter keeps the wait in [ceiling/2, ceiling]: " + d + " of " + c);
            }
        }
        RetryPolicy doubling = RetryPolicy.doubling(Duration.ofMillis(50));
        assertEquals(
                List.of(50L, 100L, 200L, 400L),
                List.of(1, 2, 3, 4).stream()
                        .map(n -> doubling.delay(n).toMillis())
                        .toList());
        assertEquals(Duration.ofDays(1), doubling.delay(40), "capped at a day");
        assertEquals(
                Duration.ofSeconds(5),
                new RetryPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1)).max(),
                "max below initial is raised to it");
        assertThrows(
                IllegalArgumentException.class, () -> new RetryPolicy(Duration.ofSeconds(-1), Duration.ofSeconds(1)));
        assertTrue(RetryPolicy.retryable(408)
                && RetryPolicy.retryable(429)
                && RetryPolicy.retryable(500)
                && RetryPolicy.retryable(503));
        assertFalse(RetryPolicy.retryable(400)
                || RetryPolicy.retryable(401)
                || RetryPolicy.retryable(404)
                || RetryPolicy.retryable(422));
    }
}
