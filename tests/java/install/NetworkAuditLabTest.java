package install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import lab.Lab;
import lab.LabNode;
import lab.LabTest;
import lib.docker.DockerClient;
import lib.host.ListeningSockets;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import support.Project;

/**
 * {@code install.java --verify} inside lab nodes' network namespaces, against real daemons: node 2's dockerd
 * was started with an extra {@code -H tcp://0.0.0.0:2375} (lab.sh --dockerd-host), so its Engine API really
 * answers anyone on the lab network without TLS, and the audit must fail it; node 1 is clean and must pass.
 * Then, on node 1: a real telemetry daemon on loopback and off it, a swarm bound to every address and to
 * an overlay address (a dummy interface named like ZeroTier's, zt*, since no ZeroTier daemon runs here),
 * and a Traefik stand-in: the busybox image tagged traefik:v3.6.7 serving HTTP on :8080 with host networking
 * and Traefik's own flags and labels on its command line (what the audit reads is Docker's container inspect,
 * which is real; Traefik itself is not packaged here).
 */
@LabTest(
        nodes = 2,
        busybox = true,
        dockerdHosts = {"2=tcp://0.0.0.0:2375"},
        startTimeoutSeconds = 90)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkAuditLabTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NWID = "8056c2e21c000001";

    @TempDir
    static Path dir;

    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** A codex.yaml (the JDK binds 0.0.0.0 as [::], dual-stack): only the docker check, the telemetry daemon on {@code listen}, ZeroTier on or off. */
    static Path codex(String name, String listen, boolean zerotier) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(
                f,
                "capabilities:\n  networking:\n    overlays:\n      zerotier:\n        enabled: " + zerotier
                        + "\n        config: "
                        + Project.basedir().resolve("configs/zerotier/network.conf") + "\n  telemetry:\n    state_dir: "
                        + dir.resolve("state-" + name)
                        + "\nendpoints:\n  metrics:\n    listen: " + listen
                        + "\ndeployment:\n  verification:\n    - name: docker-engine\n      check: docker\n");
        return f;
    }

    record Verify(int exit, String stderr, Map<String, JsonNode> audit) {
        JsonNode row(String name) {
            JsonNode r = audit.get(name);
            assertTrue(r != null, name + " missing: " + audit.keySet());
            return r;
        }

        String result(String name) {
            return row(name).path("result").asText();
        }

        String detail(String name) {
            return row(name).path("detail").asText();
        }
    }

    static Verify verify(LabNode node, Path codex) throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        List<String> argv = new ArrayList<>(List.of(
                "java",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-cp",
                classPath(),
                "install",
                "--verify",
                "--json",
                "--root",
                root.toString(),
                "--config",
                codex.toString()));
        ProcessResult r = new ProcessRunner()
                .runAnyExit(node.command(argv)
                        .timeout(Duration.ofSeconds(120))
                        .env("NO_COLOR", "1")
                        .env("ZEROTIER_NETWORK_ID", NWID));
        JsonNode j = JSON.readTree(r.stdout());
        assertEquals("verify", j.path("mode").asText(), r.stdout() + r.stderr());
        assertEquals(r.exitCode(), j.path("exit_code").asInt());
        assertEquals("ok", j.path("verification").path(0).path("result").asText(), "docker check: " + r.stdout());
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        j.path("audit").forEach(x -> rows.put(x.path("name").asText(), x));
        return new Verify(r.exitCode(), r.stderr(), rows);
    }

    static int httpStatus(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(3000);
        c.setReadTimeout(5000);
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    @Test
    @Order(1)
    void theOpenEngineApiIsReallyOpenAndTheAuditFailsIt(Lab lab) throws IOException {
        assertEquals(
                200,
                httpStatus("http://" + lab.node(2).ip() + ":2375/_ping"),
                "node 2 answers the Engine API on TCP, without any credential");
        Verify v = verify(lab.node(2), codex("plain.yaml", "127.0.0.1:10464", false));
        assertEquals(1, v.exit(), v.stderr());
        assertEquals("fail", v.result("dockerd-api"));
        assertTrue(
                v.detail("dockerd-api")
                        .matches(
                                "dockerd \\(pid \\d+\\) serves the Engine API on tcp \\[::]:2375 without TLS client verification: "
                                        + "whoever reaches it is root on this host; remove -H tcp://0\\.0\\.0\\.0:2375 .*"),
                v.detail("dockerd-api"));
        assertTrue(v.stderr().contains("error: verification failed: dockerd-api: dockerd (pid "), v.stderr());
    }

    @Test
    @Order(2)
    void theCleanNodePasses(Lab lab) throws IOException {
        assertThrows(
                IOException.class,
                () -> httpStatus("http://" + lab.node(1).ip() + ":2375/_ping"),
                "node 1 has no TCP Engine API");
        Verify v = verify(lab.node(1), codex("plain.yaml", "127.0.0.1:10464", false));
        assertEquals(0, v.exit(), v.stderr());
        assertTrue(
                v.detail("dockerd-api").matches("dockerd \\(pid \\d+\\) serves the Engine API on unix sockets only"),
                v.detail("dockerd-api"));
        assertEquals("ok", v.result("dockerd-api"));
        for (String n : List.of(
                "telemetry-listen", "swarm-ports", "traefik-dashboard", "config-dir", "secrets", "state-dirs")) {
            assertEquals("skip", v.result(n), n + ": " + v.detail(n));
        }
    }

    @Test
    @Order(3)
    void theTelemetryDaemonOnLoopbackPassesAndOffItFails(Lab lab) throws Exception {
        Path loopback = codex("loopback.yaml", "127.0.0.1:10464", false);
        Process daemon = startTelemetryDaemon(lab.node(1), loopback, "lo");
        try {
            Verify v = verify(lab.node(1), loopback);
            assertEquals("ok", v.result("telemetry-listen"), v.detail("telemetry-listen"));
            assertEquals("the telemetry daemon listens on tcp 127.0.0.1:10464", v.detail("telemetry-listen"));
        } finally {
            stop(daemon);
        }
        Path open = codex("open.yaml", "0.0.0.0:10465", false);
        daemon = startTelemetryDaemon(lab.node(1), open, "open");
        try {
            assertTrue(
                    httpStatus("http://" + lab.node(1).ip() + ":10465/health") > 0, "reachable from outside the node");
            Verify v = verify(lab.node(1), loopback);
            assertEquals(1, v.exit(), v.stderr());
            assertEquals("fail", v.result("telemetry-listen"));
            assertTrue(
                    v.detail("telemetry-listen")
                            .matches(
                                    "the telemetry daemon \\(pid \\d+\\) listens on tcp (0\\.0\\.0\\.0|\\[::]):10465, but endpoints\\.metrics\\.listen"
                                            + " is 127\\.0\\.0\\.1:10464: .*"),
                    v.detail("telemetry-listen"));
            Verify asConfigured = verify(lab.node(1), open);
            assertEquals("ok", asConfigured.result("telemetry-listen"), asConfigured.detail("telemetry-listen"));
        } finally {
            stop(daemon);
        }
    }

    Process startTelemetryDaemon(LabNode node, Path codex, String tag) throws Exception {
        List<String> argv = node.command(List.of(
                        "java",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        classPath(),
                        "telemetry",
                        "--daemon",
                        "--interval",
                        "60s",
                        "--config",
                        codex.toString(),
                        "--state-dir",
                        dir.resolve("telemetry-" + tag).toString()))
                .argv();
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("telemetry-" + tag + ".log").toFile());
        pb.environment().put("NO_COLOR", "1");
        pb.environment().remove("MGMT_NODE_URL");
        Process p = pb.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ListeningSockets.read(Path.of("/proc"), Path.of("/proc/" + p.pid() + "/net")).stream()
                .noneMatch(s -> s.pid() == p.pid())) {
            if (!p.isAlive() || System.nanoTime() > end) {
                throw new AssertionError("the telemetry daemon did not listen: "
                        + Files.readString(dir.resolve("telemetry-" + tag + ".log")));
            }
            Thread.sleep(100);
        }
        return p;
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    @Order(4)
    void swarmPortsOnEveryAddressAreAWarningAndOnTheOverlayPass(Lab lab) throws IOException {
        LabNode n = lab.node(1);
        // a veth pair inside the node (the dummy module may not be loadable here), named like ZeroTier's interfaces
        for (List<String> c : List.of(
                List.of("ip", "link", "add", "zt9lab0", "type", "veth", "peer", "name", "zt9lab1"),
                List.of("ip", "addr", "add", "10.147.17.5/24", "dev", "zt9lab0"),
                List.of("ip", "link", "set", "zt9lab1", "up"),
                List.of("ip", "link", "set", "zt9lab0", "up"))) {
            ProcessResult r = n.exec(c, Duration.ofSeconds(10));
            assertEquals(0, r.exitCode(), c + ": " + r.stderr());
        }
        Path zt = codex("zerotier.yaml", "127.0.0.1:10464", true);
        DockerClient d = n.docker();
        d.swarmInit("0.0.0.0:2377", n.ip());
        try {
            Verify v = verify(n, zt);
            assertEquals(0, v.exit(), "a warning does not fail the verification: " + v.stderr());
            assertEquals("warn", v.result("swarm-ports"), v.detail("swarm-ports"));
            assertTrue(v.detail("swarm-ports").contains("tcp [::]:2377 (dockerd (pid "), v.detail("swarm-ports"));
            assertTrue(
                    v.detail("swarm-ports")
                            .contains(
                                    ": reachable on every interface, not only on the overlay (zt9lab0 10.147.17.5), unless a firewall closes them:"
                                            + " join with --listen-addr 10.147.17.5:2377"),
                    v.detail("swarm-ports"));
            assertEquals(
                    "skip",
                    verify(n, codex("plain.yaml", "127.0.0.1:10464", false)).result("swarm-ports"),
                    "no overlay configured");
            d.swarmLeave(true);
            d.swarmInit("10.147.17.5:2377", "10.147.17.5");
            v = verify(n, zt);
            assertEquals("ok", v.result("swarm-ports"), v.detail("swarm-ports"));
            assertTrue(
                    v.detail("swarm-ports").contains("tcp 10.147.17.5:2377 (dockerd (pid "), v.detail("swarm-ports"));
            assertTrue(
                    v.detail("swarm-ports").contains(": on the overlay only (zt9lab0 10.147.17.5)"),
                    v.detail("swarm-ports"));
            assertTrue(
                    !v.detail("swarm-ports").contains("[::]:2377")
                            && !v.detail("swarm-ports").contains("[::]:7946"),
                    v.detail("swarm-ports"));
        } finally {
            if (!d.info().path("Swarm").path("LocalNodeState").asText().equals("inactive")) d.swarmLeave(true);
        }
    }

    @Test
    @Order(5)
    void traefiksDashboardOnAnOpenEntryPointFails(Lab lab) throws Exception {
        LabNode n = lab.node(1);
        DockerClient d = n.docker();
        d.call("POST", "/images/" + lab.busyboxImage() + "/tag?repo=traefik&tag=v3.6.7", null, Duration.ofSeconds(30));
        Path plain = codex("plain.yaml", "127.0.0.1:10464", false);

        Verify v = withTraefik(
                n, plain, "edge", List.of("--api.insecure=true", "--entrypoints.web.address=:80"), Map.of());
        assertEquals(1, v.exit(), v.stderr());
        assertEquals("fail", v.result("traefik-dashboard"));
        assertTrue(
                v.detail("traefik-dashboard")
                        .startsWith(
                                "container edge (traefik:v3.6.7) serves the dashboard and API without authentication (api.insecure)"
                                        + " on its entry point traefik (:8080), open on tcp "),
                v.detail("traefik-dashboard"));
        assertTrue(v.detail("traefik-dashboard").contains(":8080 (host network)"), v.detail("traefik-dashboard"));

        v = withTraefik(
                n,
                plain,
                "edge2",
                List.of("--providers.docker"),
                Map.of(
                        "traefik.http.routers.dash.service",
                        "api@internal",
                        "traefik.http.routers.dash.rule",
                        "PathPrefix(`/dashboard`)"));
        assertEquals("fail", v.result("traefik-dashboard"));
        assertTrue(
                v.detail("traefik-dashboard")
                        .startsWith(
                                "container edge2 (traefik:v3.6.7): router dash serves the dashboard (api@internal) without a middleware"),
                v.detail("traefik-dashboard"));

        v = withTraefik(
                n,
                plain,
                "edge3",
                List.of("--providers.docker"),
                Map.of(
                        "traefik.http.routers.dash.service",
                        "api@internal",
                        "traefik.http.routers.dash.middlewares",
                        "protected@file,dashboard-auth@file"));
        assertEquals(0, v.exit(), v.stderr());
        assertEquals("ok", v.result("traefik-dashboard"), v.detail("traefik-dashboard"));
    }

    /** The verification of node {@code n} while a Traefik stand-in runs there (removed afterwards). */
    static Verify withTraefik(LabNode n, Path codex, String name, List<String> flags, Map<String, String> labels)
            throws Exception {
        DockerClient d = n.docker();
        String id = traefik(d, name, flags, labels);
        try {
            waitForHttp("http://" + n.ip() + ":8080/");
            return verify(n, codex);
        } finally {
            d.call("DELETE", "/containers/" + id + "?force=1", null, Duration.ofSeconds(30));
        }
    }

    /** The stand-in: busybox httpd on :8080 with host networking, Traefik's flags as its arguments, Traefik's labels. */
    static String traefik(DockerClient d, String name, List<String> flags, Map<String, String> labels) {
        ObjectNode spec = JSON.createObjectNode().put("Image", "traefik:v3.6.7");
        spec.putArray("Entrypoint")
                .add("/bin/busybox")
                .add("sh")
                .add("-c")
                .add("exec /bin/busybox httpd -f -p 8080 -h /")
                .add("traefik");
        flags.forEach(spec.putArray("Cmd")::add);
        ObjectNode l = spec.putObject("Labels");
        labels.forEach(l::put);
        spec.putObject("HostConfig").put("NetworkMode", "host");
        String id = d.call("POST", "/containers/create?name=" + name, spec, Duration.ofSeconds(30))
                .path("Id")
                .asText();
        d.call("POST", "/containers/" + id + "/start", null, Duration.ofSeconds(30));
        return id;
    }

    static void waitForHttp(String url) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                httpStatus(url);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > end) throw new AssertionError(url + " never answered: " + e.getMessage());
                Thread.sleep(100);
            }
        }
    }
}
