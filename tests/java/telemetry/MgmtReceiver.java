package telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback stand-in for the management node's {@code POST /api/telemetry} (the management node
 * has no counterpart in the lab). It answers as the original API does (2xx with a small JSON body,
 * see PR-CYBR-N0D3 scripts/telemetry.sh: 200 or 201 are success) and records every request: the
 * Authorization header and each sample in the body (one object, or an array for batches).
 * {@link #status} sets what it answers; {@link #delayMillis} makes it slow.
 */
final class MgmtReceiver implements AutoCloseable {
    record Request(String authorization, String idempotencyKey, List<JsonNode> samples, int answered) {}

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    volatile int status = 201;
    volatile long delayMillis;
    final AtomicInteger hits = new AtomicInteger();

    MgmtReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/api/telemetry", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            hits.incrementAndGet();
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int answer = status;
            List<JsonNode> samples = new ArrayList<>();
            JsonNode n = PayloadSchema.parse(new String(body, StandardCharsets.UTF_8));
            if (n.isArray()) n.forEach(samples::add);
            else samples.add(n);
            synchronized (requests) {
                requests.add(new Request(x.getRequestHeaders().getFirst("Authorization"), x.getRequestHeaders().getFirst("Idempotency-Key"), samples, answer));
            }
            byte[] out = (answer < 300 ? "{\"status\":\"ok\"}" : "{\"error\":\"status " + answer + "\"}").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(answer, out.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
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
            if (r.answered() >= 200 && r.answered() < 300) r.samples().forEach(s -> ids.add(s.path("sample_id").asText()));
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
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
