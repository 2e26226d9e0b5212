package lib.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import lib.docker.DockerApiException;
import lib.docker.DockerClient;
import lib.docker.DockerHost;

/**
 * Docker metrics through the Engine API over the unix socket (never {@code docker stats}, which samples
 * twice and takes 2.5 s): engine up or down, swarm state and role, container counts, and per container
 * CPU %, memory usage and limit, network and block IO, restart count and health. One-shot stats have
 * no "previous" reading, so CPU % is computed against the usage kept in the {@link TelemetryState} by
 * the previous sample (null for a container seen for the first time). No Docker is a fact reported as
 * {@code "available": false}, never an error.
 *
 * <p><b>dockerd's stats tick.</b> dockerd (20.10 to 23.x, daemon/stats/collector.go) answers every stats
 * request, one-shot included, from one collector goroutine: it sleeps while nobody subscribes, the first
 * subscriber wakes it, it collects the containers subscribed at that moment, then sleeps 1 s before it looks
 * again. So the first request answers in a few ms and every other one waits for the next tick, ~1 s later;
 * a request that subscribes after that tick has begun waits a second more. (v24+ sleeps first: every request
 * waits 0 to 1 s, all those subscribed before a tick served by it.) The Engine API has no other way to stats
 * (measured on the lab's 20.10: asking one container first, releasing all the requests' last bytes
 * together, or holding a stats stream open does not get the others answered before the next tick; the stream
 * only makes every request wait 0-1 s for a tick that keeps running, at dockerd's CPU cost every second).
 * Hence one collect asks every running container's stats at once, one connection and thread each, before
 * anything else, and the inspects beside them: the collect
 * costs one tick for any count from 2 up to {@link #MAX_IN_FLIGHT} (measured on the lab: 1 container 23 ms,
 * 10 1.05 s, 50 1.16 s; with 16 in flight, inspect before stats, 50 took 4.25 s: four ticks). The tick is
 * waiting, not work: CPU, ours plus dockerd's, containerd's and the shims', is 8-12 ms per container
 * (bench/telemetry part b).
 */
public final class DockerCollector {
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Stats requests in flight at once, one thread and one connection each: every one blocks until dockerd's next
     * tick, so they must all be asked before it (see the class doc). 256 is far above the containers a node runs
     * (a Pi: tens) and far below what dockerd accepts (open files: 1048576 under Debian's docker.service, listen
     * backlog: net.core.somaxconn, 4096 on Debian 12); beyond it the rest wait for a free thread, one more tick per 256. */
    static final int MAX_IN_FLIGHT = 256;
    /** Inspects answer at once (a few ms each): a few threads beside the stats ones serve them all well within the tick. */
    private static final int INSPECT_THREADS = 8;

    private final DockerClient client;

    public DockerCollector(DockerClient client) {
        this.client = client.timeout(Duration.ofSeconds(5));
    }

    public ObjectNode collect(TelemetryState state) {
        ObjectNode prevAll = state.section("docker");
        JsonNode prev = prevAll.path("containers");
        DockerHost host = client.host();
        if (host.address() instanceof java.net.UnixDomainSocketAddress u && !Files.exists(u.getPath())) {
            prevAll.removeAll();
            return absent("no Docker socket at " + u.getPath());
        }
        ObjectNode d = F.objectNode();
        JsonNode info;
        JsonNode list;
        try {
            // no separate /_ping: /info answers the same question, one request fewer on every sample
            info = client.info();
        } catch (DockerApiException e) {
            if (e.status() < 0) { // no connection or no answer
                prevAll.removeAll();
                return absent("the Docker daemon at " + host.display() + " does not answer");
            }
            return absent(e.getMessage());
        }
        try {
            list = client.containers(true);
        } catch (RuntimeException e) {
            return absent(e.getMessage());
        }
        d.put("available", true);
        d.put("docker_available", true);
        d.put("engine_version", info.path("ServerVersion").asText(""));
        JsonNode sw = info.path("Swarm");
        String localState = sw.path("LocalNodeState").asText("inactive");
        String role = !localState.equals("active") ? "none" : sw.path("ControlAvailable").asBoolean(false) ? "manager" : "worker";
        ObjectNode swarm = d.putObject("swarm");
        swarm.put("state", localState.isEmpty() ? "inactive" : localState);
        swarm.put("role", role);
        swarm.put("node_id", sw.path("NodeID").asText(""));
        d.put("swarm_status", localState.equals("active") ? "active" : "inactive");
        d.put("node_state", localState.equals("active") ? sw.path("NodeAddr").asText("unknown") : "n/a");

        List<JsonNode> containers = new ArrayList<>();
        list.forEach(containers::add);
        List<ObjectNode> details = details(containers, prev);
        int running = 0;
        int unhealthy = 0;
        int restarting = 0;
        ArrayNode out = F.arrayNode();
        ObjectNode nextPrev = F.objectNode();
        for (ObjectNode c : details) {
            String st = c.path("state").asText();
            if (st.equals("running")) running++;
            if (st.equals("restarting")) restarting++;
            if (c.path("health").asText().equals("unhealthy")) unhealthy++;
            JsonNode keep = c.remove("_cpu");
            if (keep != null) nextPrev.set(c.path("id").asText(), keep);
            out.add(c);
        }
        d.put("containers_total", containers.size());
        d.put("containers_running", running);
        d.put("containers_unhealthy", unhealthy);
        d.put("containers_restarting", restarting);
        // the original script counted `docker ps -q` (running containers) for container_count
        d.put("container_count", running);
        d.put("running_count", running);
        d.set("containers", out);
        prevAll.removeAll();
        prevAll.set("containers", nextPrev);
        return d;
    }

    static ObjectNode absent(String reason) {
        ObjectNode d = F.objectNode();
        d.put("available", false);
        d.put("docker_available", false);
        d.put("reason", reason);
        return d;
    }

    private List<ObjectNode> details(List<JsonNode> containers, JsonNode prev) {
        List<ObjectNode> result = new ArrayList<>();
        if (containers.isEmpty()) return result;
        // the stats requests first, every one at once, so that they all subscribe within one tick (see the class doc)
        List<JsonNode> listedRunning = containers.stream().filter(c -> c.path("State").asText().equals("running")).toList();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_IN_FLIGHT, listedRunning.size() + INSPECT_THREADS), r -> {
            Thread t = new Thread(r, "docker-stats");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Future<JsonNode>> stats = new HashMap<>();
            for (JsonNode c : listedRunning) {
                String id = c.path("Id").asText();
                stats.put(id, pool.submit(() -> client.containerStats(id)));
            }
            List<Future<JsonNode>> inspects = new ArrayList<>();
            for (JsonNode c : containers) {
                String id = c.path("Id").asText();
                inspects.add(pool.submit(() -> client.container(id)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            for (int i = 0; i < containers.size(); i++) {
                JsonNode c = containers.get(i);
                try {
                    result.add(container(c, await(inspects.get(i), deadline), stats.get(c.path("Id").asText()), deadline, prev));
                } catch (Exception e) {
                    ObjectNode partial = summary(c);
                    partial.put("error", String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
                    result.add(partial);
                }
            }
        } finally {
            // no interrupts: a request still running (its answer no longer wanted) ends by its own 5 s deadline,
            // on a daemon thread
            pool.shutdown();
        }
        return result;
    }

    private static JsonNode await(Future<JsonNode> f, long deadline) throws Exception {
        return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** What the list alone tells: id, name, image, state, health from the Status text. */
    static ObjectNode summary(JsonNode c) {
        ObjectNode o = F.objectNode();
        String id = c.path("Id").asText();
        o.put("id", id.length() > 12 ? id.substring(0, 12) : id);
        String name = c.path("Names").path(0).asText("");
        o.put("name", name.startsWith("/") ? name.substring(1) : name);
        o.put("image", c.path("Image").asText(""));
        o.put("state", c.path("State").asText(""));
        o.put("health", healthFromStatus(c.path("Status").asText("")));
        return o;
    }

    /** "Up 3 minutes (unhealthy)" → unhealthy; no parenthesis → none. */
    static String healthFromStatus(String status) {
        if (status.contains("(unhealthy)")) return "unhealthy";
        if (status.contains("(healthy)")) return "healthy";
        if (status.contains("(health: starting)")) return "starting";
        return "none";
    }

    /** One container from its list entry, its inspect and its stats (asked for when the list said running, else null). */
    private ObjectNode container(JsonNode c, JsonNode inspect, Future<JsonNode> stats, long deadline, JsonNode prev) throws Exception {
        ObjectNode o = summary(c);
        JsonNode state = inspect.path("State");
        o.put("restart_count", inspect.path("RestartCount").asLong(0));
        String health = state.path("Health").path("Status").asText("");
        if (!health.isEmpty()) o.put("health", health);
        if (state.path("Restarting").asBoolean(false)) o.put("state", "restarting");
        if (!state.path("Running").asBoolean(false) || state.path("Restarting").asBoolean(false)) {
            o.putNull("cpu_percent");
            return o;
        }
        // started between the list and the inspect: asked now, it waits for a tick of its own (rare)
        JsonNode s = stats != null ? await(stats, deadline) : client.containerStats(c.path("Id").asText());
        stats(o, s, prev.get(o.path("id").asText()));
        return o;
    }

    /** Fills CPU, memory, network and block IO from one-shot stats; {@code prev} is the last sample's CPU usage. */
    static void stats(ObjectNode o, JsonNode s, JsonNode prev) {
        JsonNode cpuStats = s.path("cpu_stats");
        long total = cpuStats.path("cpu_usage").path("total_usage").asLong(0);
        long system = cpuStats.path("system_cpu_usage").asLong(0);
        int cpus = cpuStats.path("online_cpus").asInt(0);
        if (cpus <= 0) cpus = Math.max(1, cpuStats.path("cpu_usage").path("percpu_usage").size());
        o.put("cpu_percent", cpuPercent(prev, total, system, cpus));
        o.put("cpu_usage_seconds_total", total / 1e9);
        ObjectNode keep = o.putObject("_cpu");
        keep.put("total", total);
        keep.put("system", system);

        JsonNode mem = s.path("memory_stats");
        long usage = mem.path("usage").asLong(0);
        JsonNode ms = mem.path("stats");
        long cache = ms.has("total_inactive_file") ? ms.path("total_inactive_file").asLong(0) : ms.path("inactive_file").asLong(0);
        if (cache > 0 && cache < usage) usage -= cache;
        o.put("memory_usage_bytes", usage);
        o.put("memory_limit_bytes", mem.path("limit").asLong(0));

        long rx = 0;
        long tx = 0;
        for (JsonNode n : s.path("networks")) {
            rx += n.path("rx_bytes").asLong(0);
            tx += n.path("tx_bytes").asLong(0);
        }
        o.put("network_rx_bytes", rx);
        o.put("network_tx_bytes", tx);
        long read = 0;
        long write = 0;
        for (JsonNode e : s.path("blkio_stats").path("io_service_bytes_recursive")) {
            String op = e.path("op").asText("").toLowerCase();
            if (op.equals("read")) read += e.path("value").asLong(0);
            if (op.equals("write")) write += e.path("value").asLong(0);
        }
        o.put("block_read_bytes", read);
        o.put("block_write_bytes", write);
    }

    /** docker stats' formula, between the previous sample and now; null without a usable previous one. */
    static Double cpuPercent(JsonNode prev, long total, long system, int cpus) {
        if (prev == null || !prev.has("total") || !prev.has("system")) return null;
        long dCpu = total - prev.path("total").asLong();
        long dSys = system - prev.path("system").asLong();
        if (dCpu < 0 || dSys <= 0) return null;
        return CpuTicks.round2(100.0 * dCpu / dSys * cpus);
    }

    /** For messages: where the daemon is expected. */
    public static Path defaultSocket() {
        return Path.of(DockerHost.DEFAULT_SOCKET);
    }
}
