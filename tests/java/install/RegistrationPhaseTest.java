package install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import lib.cli.ExitCode;
import lib.cli.N0d3Exception;
import lib.install.InstallContext;
import lib.install.InstallOptions;
import lib.install.InstallState;
import lib.install.Installer;
import lib.install.Plan;
import lib.install.RegistrationPhase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.FakeHttp;
import support.FakeHttp.Answer;

/**
 * Registration against a loopback management node (support.FakeHttp) that records every request: the body's
 * shape, the Bearer token, retries on 503 with back-off, none on 401, and a re-run that sends nothing.
 */
class RegistrationPhaseTest {
    static final String TOKEN = "mgmt-api-token-7f3a9c2e";

    @TempDir
    Path dir;

    FakeHttp server;
    TestHost host;

    @BeforeEach
    void setUp() throws IOException {
        // the management node's answers: 201 {"status":"registered"}, errors as {"error":"status N"} (queued with
        // then())
        server = FakeHttp.http().answer(Answer.json(201, "{\"status\":\"registered\"}"));
        host = new TestHost(dir);
        host.env.put("MGMT_NODE_URL", server.url());
        host.env.put("API_TOKEN", TOKEN);
        host.env.put("NODE_NAME", "edge-node-7");
        host.codex = "install:\n  registration:\n    attempts: 4\n    backoff: 50ms\n";
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    void failWith(int... statuses) {
        for (int s : statuses) server.then(Answer.json(s, "{\"error\":\"status " + s + "\"}"));
    }

    List<FakeHttp.Request> requests() {
        return server.requests();
    }

    RegistrationPhase phase(InstallContext c) {
        return new RegistrationPhase(RegistrationPhase.client(c.settings()), "node-a", "10.147.17.23", "20.10.24");
    }

    Plan run(InstallContext c) {
        return new Installer(List.of(phase(c))).run(c);
    }

    @Test
    void postsTheOriginalFieldsPlusTheCodexEntryWithTheBearerToken() throws IOException {
        InstallContext c = host.context(InstallOptions.defaults());
        Plan p = run(c);
        assertEquals("changed", p.phases().get(0).status(false).label());
        FakeHttp.Request r = server.only();
        assertEquals("POST", r.method());
        assertEquals("/api/nodes/register", r.path());
        assertEquals("Bearer " + TOKEN, r.header("Authorization"));
        assertEquals("application/json", r.header("Content-Type"));
        JsonNode b = new ObjectMapper().readTree(r.text());
        assertEquals(List.of("node_id", "architecture", "hostname", "ip_address", "codex"), names(b));
        assertEquals("node-edge-node-7", b.get("node_id").asText());
        assertEquals("amd64", b.get("architecture").asText());
        assertEquals("node-a", b.get("hostname").asText());
        assertEquals("10.147.17.23", b.get("ip_address").asText());
        assertEquals("worker", b.at("/codex/capabilities/swarm/role").asText());
        assertEquals(60, b.at("/codex/capabilities/telemetry/interval_seconds").asInt());
        assertEquals(512, b.at("/codex/resources/minimum/memory_mb").asInt());
        assertEquals("20.10.24", b.at("/codex/versions/docker").asText());
        assertEquals(
                "node-edge-node-7", c.state().get(InstallState.REGISTRATION).nodeId());
    }

    @Test
    void theNodeIdIsTheOneTelemetryReports() {
        assertEquals(
                lib.telemetry.Payload.nodeId(java.util.Map.of(), "edge-7"),
                RegistrationPhase.nodeId(java.util.Map.of(), "edge-7"));
        assertEquals(
                lib.telemetry.Payload.nodeId(java.util.Map.of("NODE_ID", "n42"), "edge-7"),
                RegistrationPhase.nodeId(java.util.Map.of("NODE_ID", "n42"), "edge-7"));
    }

    @Test
    void retriesOn503WithBackOffThenSucceeds() {
        failWith(503, 503);
        InstallContext c = host.context(InstallOptions.defaults());
        Captured out = Captured.of(() -> {
            run(c);
            return 0;
        });
        assertEquals(3, requests().size());
        assertEquals(requests().get(0).text(), requests().get(2).text());
        assertTrue(
                out.err().contains("registration attempt 1/4: HTTP 503: {\"error\":\"status 503\"}; retrying in 50ms"),
                out.err());
        assertTrue(
                out.err().contains("registration attempt 2/4: HTTP 503: {\"error\":\"status 503\"}; retrying in 100ms"),
                out.err());
        assertNotNull(c.state().get(InstallState.REGISTRATION).registeredAt());
    }

    @Test
    void a401IsNotRetriedAndIsAWarningWithoutRequireRegistration() {
        failWith(401);
        InstallContext c = host.context(InstallOptions.defaults());
        Captured out = Captured.of(() -> {
            Plan p = run(c);
            assertEquals("warning", p.phases().get(0).status(false).label());
            return 0;
        });
        assertEquals(1, requests().size());
        assertTrue(
                out.err()
                        .contains(
                                "warning: registration: the management node refused the API token from environment API_TOKEN (HTTP 401"),
                out.err());
        assertFalse(out.err().contains(TOKEN));
        assertNull(c.state().get(InstallState.REGISTRATION));
    }

    @Test
    void withRequireRegistrationA401FailsTheInstall() {
        failWith(401);
        InstallContext c = host.context(InstallOptions.defaults().withRequireRegistration(true));
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> run(c));
        assertEquals(ExitCode.FAILURE, e.exitCode());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "registration: the management node refused the API token from environment API_TOKEN (HTTP 401"),
                e.getMessage());
        assertEquals(1, requests().size());
    }

    @Test
    void everyAttemptFailingIsNamedWithItsCount() {
        failWith(503, 503, 503, 503);
        InstallContext c = host.context(InstallOptions.defaults().withRequireRegistration(true));
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> run(c));
        assertEquals(4, requests().size());
        assertTrue(e.getMessage().contains("failed 4 times, last: HTTP 503"), e.getMessage());
    }

    @Test
    void anotherClientErrorIsNotRetriedAndNamesTheAnswer() {
        failWith(422);
        InstallContext c = host.context(InstallOptions.defaults().withRequireRegistration(true));
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> run(c));
        assertEquals(1, requests().size());
        assertEquals(
                "registration: POST " + server.url()
                        + "/api/nodes/register was refused (HTTP 422: {\"error\":\"status 422\"}); not retried",
                e.getMessage());
    }

    @Test
    void noAnswerAtAllIsRetriedThenNamed() {
        int port = server.port();
        server.close();
        host.env.put("MGMT_NODE_URL", "http://127.0.0.1:" + port);
        InstallContext c = host.context(InstallOptions.defaults().withRequireRegistration(true));
        Captured out = Captured.of(() -> {
            N0d3Exception e = assertThrows(N0d3Exception.class, () -> run(c));
            assertEquals(
                    "registration: POST http://127.0.0.1:" + port
                            + "/api/nodes/register failed 4 times, last: no answer (POST http://127.0.0.1:" + port
                            + "/api/nodes/register: connection refused)",
                    e.getMessage());
            return 0;
        });
        assertTrue(
                out.err()
                        .contains("registration attempt 3/4: no answer (POST http://127.0.0.1:" + port
                                + "/api/nodes/register: connection refused);" + " retrying in 200ms"),
                out.err());
        assertFalse(out.err().contains(TOKEN));
    }

    @Test
    void aReRunWithTheSameDetailsSendsNothing() {
        InstallContext c = host.context(InstallOptions.defaults());
        run(c);
        c.state().save(c.root(), c.now());
        Plan again = run(host.context(InstallOptions.defaults()));
        assertEquals("unchanged", again.phases().get(0).status(false).label());
        assertEquals(1, requests().size());
    }

    @Test
    void noManagementNodeIsSkippedAndRequireRegistrationThenIsAUsageError() {
        host.env.remove("MGMT_NODE_URL");
        InstallContext c = host.context(InstallOptions.defaults());
        Plan p = new Installer(List.of(new RegistrationPhase(Optional.empty(), "node-a", "", null))).run(c);
        assertEquals("skipped", p.phases().get(0).status(false).label());
        N0d3Exception e = assertThrows(
                N0d3Exception.class,
                () -> new Installer(List.of(new RegistrationPhase(Optional.empty(), "node-a", "", null)))
                        .run(host.context(InstallOptions.defaults().withRequireRegistration(true))));
        assertEquals(ExitCode.USAGE, e.exitCode());
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
