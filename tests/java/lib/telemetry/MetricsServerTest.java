package lib.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The daemon's HTTP endpoint over real loopback sockets: raw requests, raw answers. */
class MetricsServerTest {
    MetricsServer server;

    @BeforeEach
    void start() throws Exception {
        server = MetricsServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                path -> path.equals("/metrics")
                        ? new MetricsServer.Response(200, "text/plain; version=0.0.4; charset=utf-8", "m 1\n")
                        : new MetricsServer.Response(404, "text/plain; charset=utf-8", "not found\n"));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    String exchange(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream o = s.getOutputStream();
            o.write(request.getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void getHeadNotFoundAndOtherMethods() throws Exception {
        assertEquals(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: 4\r\nConnection: close\r\n\r\nm 1\n",
                exchange("GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n"));
        assertEquals(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: 4\r\nConnection: close\r\n\r\n",
                exchange("HEAD /metrics HTTP/1.1\r\nHost: a\r\n\r\n"),
                "HEAD: the length, no body");
        assertTrue(exchange("GET /other HTTP/1.0\r\n\r\n").startsWith("HTTP/1.1 404 Not Found\r\n"));
        assertTrue(
                exchange("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n").startsWith("HTTP/1.1 405 "));
        assertTrue(exchange("nonsense\r\n\r\n").startsWith("HTTP/1.1 400 "));
        assertTrue(exchange("GET /metrics HTTP/1.1\r\nX: " + "a".repeat(9000) + "\r\n\r\n")
                .startsWith("HTTP/1.1 431 "));
        assertTrue(
                exchange("GET /metrics HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 200 "),
                "still serving after bad requests");
    }

    @Test
    void aClientThatSendsNothingIsDroppedAndTheNextOneServed() throws Exception {
        try (Socket silent = new Socket("127.0.0.1", server.address().getPort())) {
            long t0 = System.nanoTime();
            assertTrue(exchange("GET /metrics HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 200 "));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(
                    ms >= MetricsServer.READ_TIMEOUT_MS - 500, "served after the silent one timed out: " + ms + " ms");
        }
    }
}
