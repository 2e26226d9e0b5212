package lib.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import lib.cli.N0d3Exception;
import lib.mgmt.MgmtClient;
import lib.secret.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import support.FakeHttp;

/**
 * GET /api/swarm/managers against a fake management node (support.FakeHttp on loopback) answering
 * with the documented shape (schemas/mgmt-swarm-managers.schema.json; there is no real management
 * node in this project to record from, so the schema is the contract both sides follow).
 */
class MgmtManagersTest {
    FakeHttp server;
    volatile int status = 200;
    volatile String body = "";

    @BeforeEach
    void start() throws Exception {
        server = FakeHttp.http().on("/", r -> FakeHttp.Answer.json(status, body));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    List<String> paths() {
        return server.requests().stream().map(FakeHttp.Request::line).toList();
    }

    List<String> authHeaders() {
        return server.requests().stream()
                .map(r -> String.valueOf(r.header("Authorization")))
                .toList();
    }

    MgmtClient api(Optional<Secret> token) {
        return new MgmtClient(server.uri(), token, Duration.ofSeconds(5), true);
    }

    @Test
    void fetchesManagersWithTheBearerToken() {
        body = """
            {"managers": [
              {"addr": "10.147.17.1:2377", "node_id": "abc", "hostname": "mgr1", "leader": false, "reachability": "reachable"},
              {"addr": "10.147.17.2", "leader": true, "reachability": "reachable"},
              {"addr": "[fd00::3]:2377", "reachability": "unreachable"}
            ], "swarm": "extra fields are allowed"}
            """;
        MgmtManagers.Fetched f = MgmtManagers.fetch(api(Optional.of(new Secret("api-token-0123456789", "test"))));
        assertEquals(List.of("GET /api/swarm/managers"), paths());
        assertEquals(List.of("Bearer api-token-0123456789"), authHeaders());
        assertEquals(3, f.managers().size());
        assertEquals("10.147.17.2:2377", f.managers().get(1).address().toString());
        assertTrue(f.managers().get(1).leader());
        assertEquals("unreachable", f.managers().get(2).reachability());
        assertEquals("management node", f.managers().get(0).source());
        List<ManagerCandidate> order =
                ManagerOrder.order(f.managers(), java.util.Set.of()).tryOrder();
        assertEquals("10.147.17.2:2377", order.get(0).address().toString());
    }

    @Test
    void noTokenNoAuthorizationHeader() {
        body = "{\"managers\": []}";
        assertEquals(0, MgmtManagers.fetch(api(Optional.empty())).managers().size());
        assertEquals(List.of("null"), authHeaders());
    }

    @Test
    void aRefusedTokenIsAnOperationalErrorWithoutTheToken() {
        status = 401;
        body = "{}";
        N0d3Exception e = assertThrows(
                N0d3Exception.class,
                () -> MgmtManagers.fetch(api(Optional.of(new Secret("api-token-0123456789", "file /etc/t")))));
        assertEquals(1, e.exitCode());
        assertTrue(
                e.getMessage()
                        .startsWith("the management node refused the API token from file /etc/t (HTTP 401 on GET "
                                + server.url() + "/api/swarm/managers): {}; "
                                + "set API_TOKEN_FILE (or API_TOKEN) to a valid token"),
                e.getMessage());
        assertFalse(e.getMessage().contains("api-token-0123456789"));
    }

    @Test
    void anAnswerOfTheWrongShapeIsNamedWithItsField() {
        body = "{\"managers\": [{\"addr\": 5}]}";
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> MgmtManagers.fetch(api(Optional.empty())));
        assertEquals(1, e.exitCode());
        assertTrue(e.getMessage().contains("managers[0].addr"), e.getMessage());
        body = "{\"managers\": [{\"addr\": \"mgr:notaport\"}]}";
        e = assertThrows(N0d3Exception.class, () -> MgmtManagers.fetch(api(Optional.empty())));
        assertEquals(1, e.exitCode());
        assertTrue(e.getMessage().contains("managers[0].addr"), e.getMessage());
        body = "not json";
        assertEquals(
                1,
                assertThrows(N0d3Exception.class, () -> MgmtManagers.fetch(api(Optional.empty())))
                        .exitCode());
    }

    @Test
    void theDateHeaderGivesTheClockSkew() {
        // the JDK server stamps its own Date header (now): the parsed date must be within a second or two
        body = "{\"managers\": []}";
        MgmtManagers.Answer a = MgmtManagers.fetch(api(Optional.empty())).answer();
        assertTrue(a.serverDate().isPresent());
        assertEquals("ok", Preflight.clock(Optional.of(a)).status());
        java.time.Instant now = java.time.Instant.now();
        Preflight.Check warn = Preflight.clock(
                Optional.of(new MgmtManagers.Answer(a.body(), Optional.of(now.minusSeconds(180)), now)));
        assertEquals("warn", warn.status());
        assertTrue(warn.detail().contains("skew against the management node 180s"), warn.detail());
        assertEquals(
                "fail",
                Preflight.clock(Optional.of(new MgmtManagers.Answer(a.body(), Optional.of(now.plusSeconds(7200)), now)))
                        .status());
        assertEquals("skip", Preflight.clock(Optional.empty()).status());
        assertEquals(
                "skip",
                Preflight.clock(Optional.of(new MgmtManagers.Answer(a.body(), Optional.empty(), now)))
                        .status());
    }
}
