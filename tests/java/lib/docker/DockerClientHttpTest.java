package lib.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import lib.docker.CannedHttpServer.Answer;
import lib.json.Json;
import lib.secret.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DockerClient + EngineHttp over a real unix socket: requests sent, framings read, errors mapped. */
class DockerClientHttpTest {
    @TempDir
    Path dir;

    CannedHttpServer server;
    DockerClient client;

    @BeforeEach
    void start() throws Exception {
        server = new CannedHttpServer(dir);
        client = new DockerClient(server.host()).timeout(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void infoWithContentLengthIsParsedWithoutWaitingForClose() {
        server.answer(Answer.json(
                200, "OK", "{\"Name\":\"node-1\",\"Swarm\":{\"LocalNodeState\":\"inactive\"},\"OSType\":\"linux\"}"));
        // the server holds the connection open: a client that waited for the close would time out here
        JsonNode info = client.info();
        assertEquals("node-1", info.path("Name").asText());
        assertEquals("inactive", info.path("Swarm").path("LocalNodeState").asText());
        CannedHttpServer.Request r = server.only();
        assertEquals("GET", r.method());
        assertEquals("/v1.41/info", r.target());
        assertEquals("docker", r.headers().get("host"));
        assertEquals("close", r.headers().get("connection"));
        assertEquals("application/json", r.headers().get("accept"));
        assertEquals("", r.body());
        assertFalse(r.headers().containsKey("content-length"), "no body on a GET");
    }

    @Test
    void chunkedResponseInPiecesIsReassembled() {
        String json = "{\"Containers\":3,\"Name\":\"chunky\",\"Labels\":[\"a=b\"],\"Text\":\"é✓\"}";
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        // three chunks, one with an extension, cut at awkward places (inside the size line, inside a multi-byte
        // character)
        byte[] c1 = java.util.Arrays.copyOfRange(b, 0, 10);
        byte[] c2 = java.util.Arrays.copyOfRange(b, 10, b.length - 4);
        byte[] c3 = java.util.Arrays.copyOfRange(b, b.length - 4, b.length);
        byte[] all = concat(
                head.getBytes(StandardCharsets.US_ASCII),
                (Integer.toHexString(c1.length) + "\r\n").getBytes(StandardCharsets.US_ASCII),
                c1,
                "\r\n".getBytes(StandardCharsets.US_ASCII),
                (Integer.toHexString(c2.length) + ";ext=1\r\n").getBytes(StandardCharsets.US_ASCII),
                c2,
                "\r\n".getBytes(StandardCharsets.US_ASCII),
                (Integer.toHexString(c3.length) + "\r\n").getBytes(StandardCharsets.US_ASCII),
                c3,
                "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        int cut1 = head.length() + 1;
        int cut2 = all.length - 9;
        server.answer(new Answer(
                List.of(
                        java.util.Arrays.copyOfRange(all, 0, cut1),
                        java.util.Arrays.copyOfRange(all, cut1, cut2),
                        java.util.Arrays.copyOfRange(all, cut2, all.length)),
                150,
                false));
        JsonNode info = client.info();
        assertEquals(3, info.path("Containers").asInt());
        assertEquals("é✓", info.path("Text").asText());
        assertEquals("a=b", info.path("Labels").path(0).asText());
    }

    @Test
    void bodyUntilCloseWhenNeitherLengthNorChunked() {
        server.answer(new Answer(
                List.of(
                        "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"ok\":"
                                .getBytes(StandardCharsets.US_ASCII),
                        "true}".getBytes(StandardCharsets.US_ASCII)),
                100,
                true));
        assertTrue(client.get("/version").path("ok").asBoolean());
    }

    @Test
    void swarmJoinPostsTheTokenInTheBodyOnly() throws Exception {
        Secret token = new Secret(
                "SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx", "test");
        server.answer(Answer.of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        client.swarmJoin(
                "0.0.0.0:2377", "10.213.1.12", null, List.of("10.213.1.11:2377"), token, Duration.ofSeconds(5));
        CannedHttpServer.Request r = server.only();
        assertEquals("POST", r.method());
        assertEquals("/v1.41/swarm/join", r.target());
        assertEquals("application/json", r.headers().get("content-type"));
        assertEquals(
                Integer.toString(r.body().getBytes(StandardCharsets.UTF_8).length),
                r.headers().get("content-length"));
        JsonNode body = Json.parse(r.body());
        assertEquals(token.reveal(), body.path("JoinToken").asText());
        assertEquals("0.0.0.0:2377", body.path("ListenAddr").asText());
        assertEquals("10.213.1.12", body.path("AdvertiseAddr").asText());
        assertEquals("10.213.1.11:2377", body.path("RemoteAddrs").path(0).asText());
        assertFalse(body.has("DataPathAddr"));
        String head = r.raw().substring(0, r.raw().indexOf("\r\n\r\n"));
        assertFalse(head.contains("1awxwuwd3z9j1z3puu7rcgdbx"), "token outside the body: " + head);
    }

    @Test
    void serverErrorBecomesDockerApiExceptionWithTheDaemonsMessageRedacted() {
        new Secret("SWMTKN-1-zzzzzzzzzz-yyyyyyyyyy", "test");
        server.answer(
                Answer.json(
                        500,
                        "Internal Server Error",
                        "{\"message\":\"rpc error: code = Unavailable desc = token SWMTKN-1-zzzzzzzzzz-yyyyyyyyyy rejected\"}\n"));
        DockerApiException e = assertThrows(
                DockerApiException.class,
                () -> client.swarmJoin(
                        null,
                        null,
                        null,
                        List.of("10.0.0.1"),
                        new Secret("SWMTKN-1-zzzzzzzzzz-yyyyyyyyyy", "t"),
                        Duration.ofSeconds(5)));
        assertEquals(500, e.status());
        assertFalse(e.unreachable());
        assertEquals(1, e.exitCode());
        assertEquals(
                "Docker POST /swarm/join: rpc error: code = Unavailable desc = token *** rejected (HTTP 500)",
                e.getMessage());
    }

    @Test
    void workerSwarmInspectIs503WithTheDaemonsMessage() {
        server.answer(
                Answer.json(
                        503,
                        "Service Unavailable",
                        "{\"message\":\"This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state.\"}"));
        DockerApiException e = assertThrows(DockerApiException.class, client::swarmInspect);
        assertEquals(503, e.status());
        assertTrue(e.getMessage().startsWith("Docker GET /swarm: This node is not a swarm manager."), e.getMessage());
        assertEquals("/v1.41/swarm", server.only().target());
    }

    @Test
    void nonJsonErrorBodyIsShownAsText() {
        server.answer(Answer.of(
                "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nbad request\n"));
        DockerApiException e =
                assertThrows(DockerApiException.class, () -> client.get("/containers/json?all=nonsense"));
        assertEquals("Docker GET /containers/json: bad request (HTTP 400)", e.getMessage());
    }

    @Test
    void missingNetworkIsNullAndNamesAreEscaped() {
        server.answer(Answer.json(404, "Not Found", "{\"message\":\"network traefik public not found\"}"));
        assertNull(client.network("traefik public"));
        assertEquals("/v1.41/networks/traefik+public", server.only().target());
    }

    @Test
    void oneShotStatsPath() {
        server.answer(Answer.json(200, "OK", "{\"cpu_stats\":{\"online_cpus\":2}}"));
        assertEquals(
                2,
                client.containerStats("abc123")
                        .path("cpu_stats")
                        .path("online_cpus")
                        .asInt());
        assertEquals(
                "/v1.41/containers/abc123/stats?stream=false&one-shot=true",
                server.only().target());
    }

    @Test
    void swarmLeaveSendsAnEmptyPost() {
        server.answer(Answer.of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        client.swarmLeave(true);
        CannedHttpServer.Request r = server.only();
        assertEquals("POST /v1.41/swarm/leave?force=true", r.method() + " " + r.target());
        assertEquals("0", r.headers().get("content-length"));
    }

    @Test
    void noContentWithoutLengthEndsTheResponse() {
        server.answer(Answer.of("HTTP/1.1 204 No Content\r\n\r\n"));
        assertTrue(client.call("DELETE", "/networks/x", null, Duration.ofSeconds(5))
                .isNull());
        assertEquals("DELETE", server.only().method());
    }

    @Test
    void pingIsUnversioned() {
        server.answer(Answer.of("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK"));
        assertTrue(client.ping());
        assertEquals("/_ping", server.only().target());
    }

    @Test
    void silentDaemonTimesOut() {
        server.answer(Answer.silent());
        long t0 = System.nanoTime();
        DockerApiException e = assertThrows(
                DockerApiException.class,
                () -> client.timeout(Duration.ofSeconds(1)).info());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(-2, e.status());
        assertEquals(
                "Docker daemon at unix://" + server.socket + " did not answer GET /info within 1s", e.getMessage());
        assertTrue(ms >= 900, "gave up after " + ms + " ms, before the 1 s deadline");
    }

    @Test
    void noDaemonIsUnreachableWithAHint() {
        Path sock = dir.resolve("nobody-home.sock");
        DockerClient c = DockerClient.fromEnv(Map.of("DOCKER_HOST", "unix://" + sock));
        assertFalse(c.ping());
        DockerApiException e = assertThrows(DockerApiException.class, c::info);
        assertTrue(e.unreachable());
        assertEquals(1, e.exitCode());
        assertTrue(
                e.getMessage().startsWith("cannot reach the Docker daemon at unix://" + sock + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" (is dockerd running? is DOCKER_HOST right?)"), e.getMessage());
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }
}
