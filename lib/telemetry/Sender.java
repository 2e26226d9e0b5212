package lib.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import lib.cli.Log;
import lib.http.Endpoint;
import lib.http.Response;
import lib.http.RetryPolicy;
import lib.http.TransportException;
import lib.json.Json;
import lib.mgmt.MgmtClient;

/**
 * Delivers the spool to the management node ({@code POST /api/telemetry}), oldest first, in batches (a batch of
 * one is the sample object itself, a larger one a JSON array). At-least-once: records are removed only after a
 * 2xx; receivers deduplicate on {@code sample_id}. 401/403 stop delivery with an error about the token; another
 * 4xx but 408/429 moves the batch to {@code STATE_DIR/dead-letter/}; 408, 429, 5xx and no answer keep it and
 * back off ({@link RetryPolicy}, kept in the state across runs). See docs/decisions/telemetry-delivery.md.
 */
public final class Sender {
    public static final String PATH = "/api/telemetry";
    public static final String DEAD_LETTER_DIR = "dead-letter";

    public enum Kind {
        EMPTY,
        DELIVERED,
        DEFERRED,
        OUTAGE,
        AUTH
    }

    /** What one flush did. {@code kind} is the reason it stopped. */
    public record Outcome(Kind kind, int delivered, int deadLettered, int pending, String message) {}

    private final MgmtClient client;
    private final Spool spool;
    private final int batchSize;
    private final RetryPolicy retry;
    private final Path deadLetterDir;

    public Sender(MgmtClient client, Spool spool, int batchSize, RetryPolicy retry, Path stateDir) {
        this.client = client;
        this.spool = spool;
        this.batchSize = Math.max(1, batchSize);
        this.retry = retry;
        this.deadLetterDir = stateDir.resolve(DEAD_LETTER_DIR);
    }

    /**
     * Sends until the spool is empty, a failure stops it, or {@code deadlineMillis} passes.
     * {@code backoff} (from the state) holds {@code failures} and {@code next_attempt_ms}; it is updated.
     * {@code force} ignores a pending back-off (an operator's manual run).
     */
    public Outcome flush(ObjectNode backoff, long nowMillis, long deadlineMillis, boolean force) throws IOException {
        if (spool.size() == 0) return new Outcome(Kind.EMPTY, 0, 0, 0, "spool empty");
        long next = backoff.path("next_attempt_ms").asLong(0);
        if (!force && next > nowMillis) {
            return new Outcome(
                    Kind.DEFERRED,
                    0,
                    0,
                    spool.size(),
                    "management node unavailable earlier ("
                            + backoff.path("last_error").asText("") + "); next attempt at " + Instant.ofEpochMilli(next)
                            + ", " + spool.size() + " sample(s) spooled");
        }
        int delivered = 0;
        int dead = 0;
        while (spool.size() > 0) {
            if (System.currentTimeMillis() > deadlineMillis) {
                return new Outcome(
                        Kind.DELIVERED,
                        delivered,
                        dead,
                        spool.size(),
                        "time budget used; " + spool.size() + " sample(s) left for the next run");
            }
            List<Spool.Entry> batch = new ArrayList<>();
            List<JsonNode> samples = new ArrayList<>();
            for (Spool.Entry e : spool.entries()) {
                if (batch.size() == batchSize) break;
                byte[] p = spool.read(e);
                if (p == null) continue;
                batch.add(e);
                samples.add(Json.parse(p));
            }
            if (batch.isEmpty()) break;
            byte[] body = body(samples);
            String key =
                    samples.get(0).path("sample_id").asText() + (samples.size() > 1 ? "+" + (samples.size() - 1) : "");
            Endpoint post = Endpoint.post(PATH, MgmtClient.JSON, body, "deliver " + batch.size() + " sample(s)")
                    .header("Idempotency-Key", key);
            Response r;
            try {
                r = client.send(post);
            } catch (TransportException e) {
                return outage(backoff, e.getMessage(), delivered, dead);
            }
            if (r.ok()) {
                spool.remove(batch);
                delivered += batch.size();
                backoff.removeAll();
                continue;
            }
            if (r.authFailure()) {
                backoff.put("last_error", "HTTP " + r.status());
                return new Outcome(
                        Kind.AUTH,
                        delivered,
                        dead,
                        spool.size(),
                        client.authMessage(r, post) + "; " + spool.size() + " sample(s) kept in the spool");
            }
            if (RetryPolicy.retryable(r.status())) {
                return outage(
                        backoff, "HTTP " + r.status() + (r.brief().isEmpty() ? "" : " " + r.brief()), delivered, dead);
            }
            deadLetter(batch, samples, r);
            dead += batch.size();
        }
        backoff.removeAll();
        return new Outcome(
                Kind.DELIVERED,
                delivered,
                dead,
                spool.size(),
                "delivered " + delivered + " sample(s)" + (dead > 0 ? ", dead-lettered " + dead : ""));
    }

    private Outcome outage(ObjectNode backoff, String why, int delivered, int dead) {
        int failures = backoff.path("failures").asInt(0) + 1;
        long wait = retry.delay(failures).toMillis();
        backoff.put("failures", failures);
        backoff.put("next_attempt_ms", System.currentTimeMillis() + wait);
        backoff.put("last_error", why);
        return new Outcome(
                Kind.OUTAGE,
                delivered,
                dead,
                spool.size(),
                "management node unavailable: " + why + "; " + spool.size()
                        + " sample(s) kept in the spool, next attempt in " + (wait / 1000) + "s (failure " + failures
                        + ")");
    }

    static byte[] body(List<JsonNode> samples) throws IOException {
        if (samples.size() == 1) return Json.bytes(samples.get(0));
        ArrayNode a = Json.array();
        for (JsonNode s : samples) a.add(s);
        return Json.bytes(a);
    }

    /** The batch, the status and the answer, in one file under dead-letter/, before it leaves the spool. */
    private void deadLetter(List<Spool.Entry> batch, List<JsonNode> samples, Response r) throws IOException {
        StateDir.createOwn(deadLetterDir);
        ObjectNode d = Json.object();
        d.put("dead_lettered_at", Instant.now().toString());
        d.put("status", r.status());
        d.put(
                "reason",
                "management node rejected the batch with HTTP " + r.status()
                        + (r.brief().isEmpty() ? "" : ": " + r.brief()));
        ArrayNode a = d.putArray("samples");
        for (JsonNode s : samples) a.add(s);
        Path f = deadLetterDir.resolve(
                String.format("%016d-http%d.json", batch.get(0).seq(), r.status()));
        AtomicFile.write(f, Json.prettyBytes(d));
        spool.addCounter("dead_lettered_total", batch.size());
        spool.remove(batch);
        Log.warn("management node rejected " + batch.size() + " sample(s) with HTTP " + r.status()
                + (r.brief().isEmpty() ? "" : " (" + r.brief() + ")") + ": moved to " + f);
    }
}
