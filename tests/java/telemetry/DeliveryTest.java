package telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lib.telemetry.Sender;
import lib.telemetry.Spool;
import lib.telemetry.TelemetryAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timer-mode runs against a loopback management node that records what it receives: outages,
 * recovery, auth failures, rejected batches, spool bounds, batching and back-off.
 */
class DeliveryTest {
    static final String TOKEN = "tel-test-token-7f3a9c";
    static final String NO_BACKOFF = "backoff: {initial: 0s, max: 0s}\n";

    @TempDir
    Path state;

    MgmtReceiver mgmt;

    @BeforeEach
    void receiver() throws Exception {
        mgmt = new MgmtReceiver();
    }

    @AfterEach
    void stop() {
        mgmt.close();
    }

    TelemetryAgent agent(String telemetryYaml) {
        // mgmt and stdout: what is printed was spooled first, so the test knows every sample taken
        return Agents.agent(state, Agents.codex(telemetryYaml), Agents.env(mgmt, TOKEN), List.of("mgmt", "-"));
    }

    static String id(Agents.Run r) {
        JsonNode p = PayloadSchema.parse(r.stdout().get(0));
        PayloadSchema.assertValid(p);
        return p.path("sample_id").asText();
    }

    @Test
    void anOutageOfFiveRunsThenRecoveryDeliversEverySampleInOrder() throws Exception {
        List<String> taken = new ArrayList<>();
        mgmt.status = 503;
        for (int i = 0; i < 5; i++) {
            Agents.Run r = Agents.once(agent(NO_BACKOFF));
            assertEquals(0, r.exit(), "an outage is not the run's failure: the sample is spooled\n" + r.stderr());
            assertTrue(r.stderr().contains("management node unavailable: HTTP 503"), r.stderr());
            taken.add(id(r));
        }
        assertEquals(5, Spool.open(state, 1 << 20, Duration.ofDays(7)).size(), "all five wait in the spool");
        mgmt.status = 200;
        Agents.Run r = Agents.once(agent(NO_BACKOFF));
        assertEquals(0, r.exit(), r.stderr());
        taken.add(id(r));
        assertEquals(taken, mgmt.acceptedDeduplicated(), "every sample, in the order taken, none missing");
        assertEquals(0, Spool.open(state, 1 << 20, Duration.ofDays(7)).size(), "removed after the 2xx");
        for (MgmtReceiver.Request q : mgmt.requests()) {
            assertEquals("Bearer " + TOKEN, q.authorization());
            q.samples().forEach(PayloadSchema::assertValid);
        }
        assertTrue(r.stderr().contains("delivered 6 sample(s)"), r.stderr());
    }

    @Test
    void a401KeepsTheSamplesAndSaysWhatToFix() throws Exception {
        mgmt.status = 401;
        Agents.Run r = Agents.once(agent(NO_BACKOFF));
        assertEquals(1, r.exit());
        String err = r.stderr();
        assertTrue(
                err.contains("error: the management node refused the API token from environment API_TOKEN (HTTP 401"),
                err);
        assertTrue(err.contains("set API_TOKEN_FILE (or API_TOKEN)"), err);
        assertFalse(err.contains(TOKEN), "the token never reaches a message");
        assertEquals(1, Spool.open(state, 1 << 20, Duration.ofDays(7)).size(), "the sample is kept");
        String first = id(r);
        mgmt.status = 201;
        Agents.Run ok = Agents.once(agent(NO_BACKOFF));
        assertEquals(0, ok.exit(), ok.stderr());
        assertEquals(List.of(first, id(ok)), mgmt.acceptedDeduplicated());
    }

    @Test
    void aRejectedBatchGoesToDeadLetterWithTheReasonAndDeliveryGoesOn() throws Exception {
        mgmt.status = 422;
        Agents.Run r = Agents.once(agent(NO_BACKOFF));
        assertEquals(1, r.exit(), "a dead-lettered sample needs the operator");
        assertTrue(r.stderr().contains("rejected 1 sample(s) with HTTP 422"), r.stderr());
        Path dl = state.resolve(Sender.DEAD_LETTER_DIR);
        List<Path> files;
        try (var s = Files.list(dl)) {
            files = s.toList();
        }
        assertEquals(1, files.size());
        JsonNode d = PayloadSchema.parse(Files.readString(files.get(0)));
        assertEquals(422, d.path("status").asInt());
        assertTrue(d.path("reason").asText().contains("HTTP 422"), d.toString());
        assertEquals(id(r), d.path("samples").path(0).path("sample_id").asText());
        Spool spool = Spool.open(state, 1 << 20, Duration.ofDays(7));
        assertEquals(0, spool.size());
        assertEquals(1, spool.counter("dead_lettered_total"));
        mgmt.status = 201;
        Agents.Run ok = Agents.once(agent(NO_BACKOFF));
        JsonNode p = PayloadSchema.parse(ok.stdout().get(0));
        assertEquals(
                1,
                p.path("metrics").path("telemetry").path("dead_lettered_total").asInt(),
                "reported in the next sample");
    }

    @Test
    void whenTheSpoolIsFullTheOldestAreDroppedAndCounted() throws Exception {
        mgmt.status = 500;
        List<String> taken = new ArrayList<>();
        String small = NO_BACKOFF + "spool: {max_bytes: 12KiB, max_age: 7d}\n";
        for (int i = 0; i < 8; i++) taken.add(id(Agents.once(agent(small))));
        mgmt.status = 201;
        Agents.Run last = Agents.once(agent(small));
        taken.add(id(last));
        List<String> delivered = mgmt.acceptedDeduplicated();
        long dropped = Spool.open(state, 1 << 20, Duration.ofDays(7)).counter("dropped_total");
        assertTrue(
                dropped > 0 && delivered.size() < taken.size(),
                "the bound bit: delivered " + delivered.size() + " of " + taken.size());
        assertEquals(
                taken.size(), delivered.size() + dropped, "every sample is either delivered or counted as dropped");
        assertEquals(
                taken.subList(taken.size() - delivered.size(), taken.size()),
                delivered,
                "the newest survive, in order");
        JsonNode p = PayloadSchema.parse(last.stdout().get(0));
        assertTrue(
                p.path("metrics").path("telemetry").path("dropped_total").asLong() > 0,
                "dropped_total is itself reported");
        assertTrue(last.stderr().contains("oldest sample"), last.stderr());
    }

    @Test
    void batchesAreArraysInOrder() throws Exception {
        mgmt.status = 503;
        List<String> taken = new ArrayList<>();
        String batched = NO_BACKOFF + "batch_size: 3\n";
        for (int i = 0; i < 4; i++) taken.add(id(Agents.once(agent(batched))));
        mgmt.status = 202;
        taken.add(id(Agents.once(agent(batched))));
        List<MgmtReceiver.Request> ok =
                mgmt.requests().stream().filter(q -> q.answered() == 202).toList();
        assertEquals(List.of(3, 2), ok.stream().map(q -> q.samples().size()).toList());
        assertEquals(taken, mgmt.acceptedDeduplicated());
    }

    @Test
    void afterAFailureTheNextRunsWaitTheBackOff() throws Exception {
        mgmt.status = 503;
        String slow = "backoff: {initial: 1h, max: 2h}\n";
        Agents.once(agent(slow));
        int hits = mgmt.hits.get();
        mgmt.status = 201;
        Agents.Run deferred = Agents.once(agent(slow));
        assertEquals(0, deferred.exit());
        assertEquals(hits, mgmt.hits.get(), "no request during the back-off");
        assertTrue(deferred.stderr().contains("next attempt at"), deferred.stderr());
        assertEquals(2, Spool.open(state, 1 << 20, Duration.ofDays(7)).size());
        JsonNode st = PayloadSchema.parse(Files.readString(state.resolve("state.json")));
        long wait = st.path("send").path("next_attempt_ms").asLong() - System.currentTimeMillis();
        assertTrue(
                wait > Duration.ofMinutes(29).toMillis()
                        && wait <= Duration.ofHours(1).toMillis(),
                "jittered into [initial/2, initial]: " + wait);
    }

    @Test
    void theFirstPostIsTheBareObjectTheOriginalApiTakes() throws Exception {
        Agents.once(agent(NO_BACKOFF));
        MgmtReceiver.Request q = mgmt.requests().get(0);
        assertEquals(1, q.samples().size());
        assertEquals(q.samples().get(0).path("sample_id").asText(), q.idempotencyKey());
    }
}
