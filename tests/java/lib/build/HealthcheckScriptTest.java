package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import support.ChildJvm;
import support.FakeHttp;
import support.Project;

/** docker/healthcheck.sh, the node image's HEALTHCHECK, run by bash against a real HTTP server on loopback. */
class HealthcheckScriptTest {
    FakeHttp server;

    @BeforeEach
    void serve() throws IOException {
        server = FakeHttp.http();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    ChildJvm.Result check(String addr, String path) {
        return ChildJvm.run(
                List.of(
                        "bash",
                        Project.basedir().resolve("docker/healthcheck.sh").toString()),
                path == null
                        ? Map.of("N0D3_HEALTH_ADDR", addr)
                        : Map.of("N0D3_HEALTH_ADDR", addr, "N0D3_HEALTH_PATH", path),
                null,
                Duration.ofSeconds(30));
    }

    String addr() {
        return "127.0.0.1:" + server.port();
    }

    @Test
    void healthyWhenTheDaemonAnswers200() {
        ChildJvm.Result r = check(addr(), null);
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("healthy: GET /health -> 200\n", r.stdout());
        assertEquals("GET /health", server.only().line());
    }

    @Test
    void unhealthyOnAnyOtherStatus() {
        server.answer(FakeHttp.Answer.of(503));
        ChildJvm.Result r = check(addr(), "/ready");
        assertEquals(1, r.exit());
        assertEquals("unhealthy: GET /ready -> 503\n", r.stdout());
        assertEquals("GET /ready", server.only().line());
    }

    @Test
    void unhealthyWhenNothingListensAndQuietAboutIt() {
        int port = server.port();
        server.close();
        ChildJvm.Result r = check("0.0.0.0:" + port, null);
        assertEquals(1, r.exit());
        assertEquals("unhealthy: nothing listens on 127.0.0.1:" + port + "\n", r.stdout());
        assertEquals("", r.stderr());
    }
}
