package telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import lib.config.Settings;
import lib.telemetry.Daemon;
import lib.telemetry.TelemetryAgent;
import lib.telemetry.TelemetryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Daemon mode: /metrics, /health, /ready, the lock, and a real Prometheus scraping it. */
class DaemonTest {
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path work;

    Daemon daemon(Path state) {
        Map<String, String> env = Agents.env(null, null);
        Settings s = Settings.fromText("codex.yaml", "", env);
        TelemetryConfig cfg = TelemetryConfig.resolve(s, List.of(), state, null, "1s", "127.0.0.1:0", true);
        return new Daemon(new TelemetryAgent(cfg, "node-daemon-test", env, null, false));
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String base(InetSocketAddress a) {
        return "http://127.0.0.1:" + a.getPort();
    }

    @Test
    void servesMetricsHealthAndReadyAndHoldsTheLock() throws Exception {
        Path state = work.resolve("state");
        Daemon d = daemon(state);
        InetSocketAddress at = d.start();
        try {
            long until = System.currentTimeMillis() + 30_000;
            HttpResponse<String> ready;
            do {
                ready = get(base(at) + "/ready");
                if (ready.statusCode() != 200) Thread.sleep(100);
            } while (ready.statusCode() != 200 && System.currentTimeMillis() < until);
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals(200, get(base(at) + "/health").statusCode());
            HttpResponse<String> m = get(base(at) + "/metrics");
            assertEquals(200, m.statusCode());
            assertEquals(
                    "text/plain; version=0.0.4; charset=utf-8",
                    m.headers().firstValue("Content-Type").orElse(""));
            assertTrue(m.body().contains("pr_cybr_node_info{node_id=\"node-daemon-test\""), m.body());
            PrometheusTextTest.promtoolAccepts(m.body());
            assertEquals(404, get(base(at) + "/metrics/extra").statusCode());

            Cli.Result other = Cli.run(
                    work,
                    Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock", "MGMT_NODE_URL", "http://127.0.0.1:9"),
                    "--once",
                    "--state-dir",
                    state.toString());
            assertEquals(0, other.exit(), other.stderr());
            assertTrue(other.stderr().contains("another telemetry run"), "a timer run steps aside: " + other.stderr());
        } finally {
            d.stop();
        }
        Cli.Result after = Cli.run(
                work,
                Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock"),
                "--once",
                "--output",
                "-",
                "--state-dir",
                state.toString());
        assertEquals(0, after.exit(), after.stderr());
        assertTrue(
                !after.stderr().contains("another telemetry run"), "the lock is released on stop: " + after.stderr());
    }

    @Test
    void savesItsStateAtTheFirstCycleAndAtStopNotEveryCycle() throws Exception {
        Path state = work.resolve("state");
        Path file = state.resolve(lib.telemetry.TelemetryState.FILE);
        Daemon d = daemon(state);
        d.start();
        byte[] first;
        try {
            long until = System.currentTimeMillis() + 30_000;
            while (!Files.exists(file) && System.currentTimeMillis() < until) Thread.sleep(50);
            assertTrue(Files.exists(file), "the first cycle saved " + file);
            first = Files.readAllBytes(file);
            Thread.sleep(3_500); // three more cycles at 1 s, each with new CPU ticks
            assertArrayEquals(first, Files.readAllBytes(file), "the later cycles kept their state in memory");
        } finally {
            d.stop();
        }
        byte[] last = Files.readAllBytes(file);
        assertFalse(java.util.Arrays.equals(first, last), "stop saved the last cycle's state");
        assertTrue(
                lib.json.Json.parse(last).path("host").size() > 0,
                new String(last, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void savesItsStateEveryCycleWhenItSendsToTheManagementNode() throws Exception {
        try (MgmtReceiver mgmt = new MgmtReceiver()) {
            Path state = work.resolve("state");
            Path file = state.resolve(lib.telemetry.TelemetryState.FILE);
            Map<String, String> env = Agents.env(mgmt, "t0ken-daemon");
            Settings s = Settings.fromText("codex.yaml", "", env);
            TelemetryConfig cfg = TelemetryConfig.resolve(s, List.of("mgmt"), state, null, "1s", "127.0.0.1:0", true);
            Daemon d = new Daemon(new TelemetryAgent(
                    cfg,
                    "node-daemon-test",
                    env,
                    lib.mgmt.MgmtClient.fromSettings(s).orElseThrow(),
                    false));
            d.start();
            try {
                // the first cycle saves twice (before and after its delivery): read the file once both are done
                long until = System.currentTimeMillis() + 30_000;
                while (mgmt.accepted().isEmpty() && System.currentTimeMillis() < until) Thread.sleep(20);
                Thread.sleep(300);
                byte[] first = Files.readAllBytes(file);
                int sent = mgmt.accepted().size();
                while (mgmt.accepted().size() < sent + 2 && System.currentTimeMillis() < until) Thread.sleep(20);
                assertTrue(mgmt.accepted().size() >= sent + 2, "two more cycles delivered: " + mgmt.accepted());
                Thread.sleep(300);
                assertFalse(
                        java.util.Arrays.equals(first, Files.readAllBytes(file)),
                        "a cycle that sends saved the state before the daemon stopped");
            } finally {
                d.stop();
            }
        }
    }

    @Test
    void aRealPrometheusScrapesTheDaemon() throws Exception {
        Tools.require("prometheus");
        Daemon d = daemon(work.resolve("state"));
        InetSocketAddress at = d.start();
        int promPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            promPort = s.getLocalPort();
        }
        Path cfg = work.resolve("prometheus.yml");
        Files.writeString(
                cfg,
                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n"
                        + "  - job_name: pr-cybr-telemetry\n    static_configs:\n      - targets: ['127.0.0.1:"
                        + at.getPort() + "']\n");
        Process prom = new ProcessBuilder(
                        "prometheus",
                        "--config.file=" + cfg,
                        "--storage.tsdb.path=" + work.resolve("tsdb"),
                        "--web.listen-address=127.0.0.1:" + promPort,
                        "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("prometheus.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            String api = "http://127.0.0.1:" + promPort + "/api/v1/query?query=";
            JsonNode result = null;
            long until = System.currentTimeMillis() + 90_000;
            while (System.currentTimeMillis() < until) {
                try {
                    HttpResponse<String> r = get(api + "pr_cybr_memory_total_bytes");
                    if (r.statusCode() == 200) {
                        result = PayloadSchema.parse(r.body()).path("data").path("result");
                        if (result.size() > 0) break;
                    }
                } catch (java.io.IOException notYet) {
                    // prometheus still starting
                }
                Thread.sleep(500);
            }
            assertTrue(
                    result != null && result.size() > 0,
                    "no pr_cybr_ series in Prometheus; its log:\n" + Files.readString(work.resolve("prometheus.log")));
            JsonNode series = result.get(0);
            assertEquals("pr-cybr-telemetry", series.path("metric").path("job").asText());
            assertTrue(series.path("value").path(1).asDouble() > 0, series.toString());
            JsonNode up = PayloadSchema.parse(
                            get(api + "up%7Bjob%3D%22pr-cybr-telemetry%22%7D").body())
                    .path("data")
                    .path("result");
            assertEquals("1", up.path(0).path("value").path(1).asText(), "the scrape succeeded: " + up);
            JsonNode names = PayloadSchema.parse(get("http://127.0.0.1:" + promPort + "/api/v1/label/__name__/values")
                            .body())
                    .path("data");
            long ours = 0;
            for (JsonNode n : names) if (n.asText().startsWith("pr_cybr_")) ours++;
            assertTrue(ours >= 20, "pr_cybr_ metric names in Prometheus: " + names);
        } finally {
            prom.destroy();
            if (!prom.waitFor(20, TimeUnit.SECONDS)) prom.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            d.stop();
        }
    }
}
