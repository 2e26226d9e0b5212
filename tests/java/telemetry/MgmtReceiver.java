package telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import support.FakeHttp;

/**
 * A loopback stand-in for the management node's {@code POST /api/telemetry} (the management node
 * has no counterpart in the lab), on support.FakeHttp. It answers as the original API does (2xx with a small
 * JSON body, see PR-CYBR-N0D3 scripts/telemetry.sh: 200 or 201 are success) and records every request: the
 * Authorization header and each sample in the body (one object, or an array for batches).
 * {@link #status} sets what it answers; {@link #delayMillis} makes it slow.
 */
final class MgmtReceiver implements AutoCloseable {
    record Request(String authorization, String idempotencyKey, List<JsonNode> samples, int answered) {}

    private final FakeHttp server;
    private final List<Request> requests = new ArrayList<>();
    volatile int status = 201;
    volatile long delayMillis;
    final AtomicInteger hits = new AtomicInteger();

    MgmtReceiver() throws IOException {
        server = FakeHttp.http().on("/api/telemetry", x -> {
            hits.incrementAndGet();
            int answer = status;
            List<JsonNode> samples = new ArrayList<>();
            JsonNode n = PayloadSchema.parse(x.text());
            if (n.isArray()) n.forEach(samples::add);
            else samples.add(n);
            synchronized (requests) {
                requests.add(new Request(x.header("Authorization"), x.header("Idempotency-Key"), samples, answer));
            }
            return FakeHttp.Answer.json(
                            answer, answer < 300 ? "{\"status\":\"ok\"}" : "{\"error\":\"status " + answer + "\"}")
                    .delayed(delayMillis);
        });
    }

    String url() {
        return server.url();
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** sample_ids of every sample in a request answered 2xx, in arrival order, duplicates kept. */
    List<String> accepted() {
        List<String> ids = new ArrayList<>();
        for (Request r : requests()) {
            if (r.answered() >= 200 && r.answered() < 300)
                r.samples().forEach(s -> ids.add(s.path("sample_id").asText()));
        }
        return ids;
    }

    /** The same, deduplicated on sample_id as a receiver should, first arrival kept. */
    List<String> acceptedDeduplicated() {
        Set<String> s = new LinkedHashSet<>(accepted());
        return new ArrayList<>(s);
    }

    @Override
    public void close() {
        server.close();
    }
}
