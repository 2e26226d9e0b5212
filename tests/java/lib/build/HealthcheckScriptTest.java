package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import support.ChildJvm;
import support.Project;

/** docker/healthcheck.sh, the node image's HEALTHCHECK, run by bash against a real HTTP server on loopback. */
class HealthcheckScriptTest {
    HttpServer server;
    final AtomicReference<String> requested = new AtomicReference<>();
    volatile int status = 200;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requested.set(ex.getRequestMethod() + " " + ex.getRequestURI());
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    ChildJvm.Result check(String addr, String path) {
        return ChildJvm.run(List.of("bash", Project.basedir().resolve("docker/healthcheck.sh").toString()),
                path == null ? Map.of("N0D3_HEALTH_ADDR", addr) : Map.of("N0D3_HEALTH_ADDR", addr, "N0D3_HEALTH_PATH", path), null,
                Duration.ofSeconds(30));
    }

    String addr() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void healthyWhenTheDaemonAnswers200() {
        ChildJvm.Result r = check(addr(), null);
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("healthy: GET /health -> 200\n", r.stdout());
        assertEquals("GET /health", requested.get());
    }

    @Test
    void unhealthyOnAnyOtherStatus() {
        status = 503;
        ChildJvm.Result r = check(addr(), "/ready");
        assertEquals(1, r.exit());
        assertEquals("unhealthy: GET /ready -> 503\n", r.stdout());
        assertEquals("GET /ready", requested.get());
    }

    @Test
    void unhealthyWhenNothingListensAndQuietAboutIt() {
        int port = server.getAddress().getPort();
        server.stop(0);
        ChildJvm.Result r = check("0.0.0.0:" + port, null);
        assertEquals(1, r.exit());
        assertEquals("unhealthy: nothing listens on 127.0.0.1:" + port + "\n", r.stdout());
        assertEquals("", r.stderr());
    }
}
