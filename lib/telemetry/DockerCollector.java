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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import lib.cli.Log;
import lib.docker.ContainerEvents;
import lib.docker.DockerApiException;
import lib.docker.DockerClient;
import lib.docker.DockerHost;
import lib.docker.ListedContainer;

/**
 * Docker metrics: engine up or down, swarm state and role, container counts, and per container CPU %,
 * memory usage and limit, network and block IO, pids, restart count and health. No Docker is a fact
 * reported as {@code "available": false}, never an error. The Engine API gives /info, the container list and
 * the inspects; usage figures come from the kernel ({@link ContainerCgroups}, {@link StatsSource#CGROUP}) or,
 * where that fails and with {@link StatsSource#API}, from one-shot stats asked all at once. What a container
 * keeps between runs is in {@link TelemetryState} ({@code docker.containers}). See docs/decisions/cgroup-reading.md.
 */
public final class DockerCollector {
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Stats requests in flight at once, one thread and one connection each: every one blocks until dockerd's next
     * tick, so they must all be asked before it (see the class doc). 256 is far above the containers a node runs
     * (a Pi: tens) and far below what dockerd accepts (open files: 1048576 under Debian's docker.service, listen
     * backlog: net.core.somaxconn, 4096 on Debian 12); beyond it the rest wait for a free thread, one more tick per 256. */
    static final int MAX_IN_FLIGHT = 256;
    /** Inspects answer at once (a few ms each): a few threads serve them all. */
    private static final int INSPECT_THREADS = 4;

    /** Where container usage figures come from: {@code --docker-stats cgroup|api}. */
    public enum StatsSource {
        /** The kernel's cgroup files (and /proc), the Engine API for containers whose cgroup is not found. */
        CGROUP,
        /** The Engine API's one-shot stats for every container (dockerd's 1 s stats tick included). */
        API;

        public static StatsSource parse(String v) {
            return switch (v.strip().toLowerCase(Locale.ROOT)) {
                case "cgroup", "cgroups" -> CGROUP;
                case "api" -> API;
                default -> throw new IllegalArgumentException("expected cgroup or api, got '" + v + "'");
            };
        }
    }

    private final DockerClient client;
    private final StatsSource source;
    private final ContainerCgroups cgroups;

    public DockerCollector(DockerClient client) {
        this(client, StatsSource.CGROUP);
    }

    public DockerCollector(DockerClient client, StatsSource source) {
        this(client, source, new ContainerCgroups(KernelFiles.host()));
    }

    DockerCollector(DockerClient client, StatsSource source, ContainerCgroups cgroups) {
        this.client = client.timeout(Duration.ofSeconds(5));
        this.source = source;
        this.cgroups = cgroups;
    }

    public StatsSource source() {
        return source;
    }

    /** /info (engine version, swarm state) is asked again after this long in a long-lived collector (the daemon). */
    static final long INFO_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private JsonNode cachedInfo;
    private long infoAt;
    private Asked asked;
    private boolean onThreads = true;

    /**
     * For the daemon, whose samples are not timed but whose idle CPU is (bench/telemetry part c): /info and the
     * list asked on the calling thread, not on a thread started for each answer (the two short-lived threads of a
     * sample cost ~4 ms of CPU, more than the overlap saves), and the cgroup files kept open between samples
     * ({@link ContainerCgroups#keepFilesOpen}).
     */
    public DockerCollector longLived() {
        onThreads = false;
        cgroups.keepFilesOpen();
        if (events == null) events = new ContainerEvents(client.host());
        return this;
    }

    /** Ends the event stream of a {@link #longLived} collector. */
    public void close() {
        if (events != null) events.close();
    }

    /**
     * In a {@link #longLived} collector: dockerd's container events, followed so that the list is asked again only
     * after one (or when it is older than {@link #LIST_MAX_AGE_NANOS}); null in a one-run collector.
     */
    private ContainerEvents events;

    /** A list kept while no event came is asked again after this long anyway (should an event not reach the stream). */
    static final long LIST_MAX_AGE_NANOS = TimeUnit.MINUTES.toNanos(5);

    /** How long the first sample waits for dockerd to answer the event subscription. */
    private static final Duration EVENTS_WAIT = Duration.ofSeconds(2);

    private List<ListedContainer> lastList;
    private long listGeneration;
    private long listAt;
    private boolean listReused;

    /**
     * /info and the container list on their way, each on a thread of its own: dockerd takes tens of milliseconds
     * of its own to answer /info (it runs {@code runc --version} and {@code docker-init --version}; figures in
     * docs/decisions/cgroup-reading.md), time the caller spends on something else. In the daemon ({@link #longLived})
     * both are asked on the caller's thread instead.
     */
    private static final class Asked {
        Answer<JsonNode> info;
        Answer<List<ListedContainer>> list;
    }

    /**
     * /info and the list asked by a timer run: classes, not lambdas (a lambda's first call costs a cold JVM ~0.5 ms
     * of CPU to link; docs/decisions/telemetry-cost.md).
     */
    private record Info(DockerClient client) implements Callable<JsonNode> {
        @Override
        public JsonNode call() {
            return client.info();
        }
    }

    private record Listing(DockerClient client) implements Callable<List<ListedContainer>> {
        @Override
        public List<ListedContainer> call() {
            return client.containerList(true);
        }
    }

    /** One Engine API answer being fetched on a daemon thread, or fetched at once on the caller's. */
    private static final class Answer<T> {
        private final FutureTask<T> task;

        Answer(Callable<T> call, boolean onThread) {
            task = new FutureTask<>(call);
            if (!onThread) {
                task.run();
                return;
            }
            Thread t = new Thread(task, "docker-api");
            t.setDaemon(true);
            t.start();
        }

        T get() {
            try {
                return task.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the Docker daemon");
            }
        }
    }

    private Asked ask() {
        Asked a = new Asked();
        if (cachedInfo == null || System.nanoTime() - infoAt > INFO_MAX_AGE_NANOS)
            a.info = new Answer<>(new Info(client), onThreads);
        a.list = listAnswer();
        return a;
    }

    /**
     * The container list: the last one again while dockerd's event stream is followed and brought no event since
     * it was taken ({@link #events}, a long-lived collector), else asked anew. The generation is read before the
     * list is asked: an event while it is on its way makes the next sample ask again.
     */
    private Answer<List<ListedContainer>> listAnswer() {
        listReused = false;
        if (events == null) return new Answer<>(new Listing(client), onThreads);
        boolean following = events.follow(EVENTS_WAIT);
        long generation = events.generation();
        if (following
                && lastList != null
                && generation == listGeneration
                && System.nanoTime() - listAt < LIST_MAX_AGE_NANOS) {
            listReused = true;
            List<ListedContainer> same = lastList;
            return new Answer<>(() -> same, false);
        }
        lastList = null;
        return new Answer<>(
                () -> {
                    List<ListedContainer> list = client.containerList(true);
                    if (following) {
                        lastList = list;
                        listGeneration = generation;
                        listAt = System.nanoTime();
                    }
                    return list;
                },
                false);
    }

    /**
     * Starts asking dockerd for /info and the container list, to be used by the next {@link #collect}: the caller
     * samples the host meanwhile. Nothing when there is no Docker socket.
     */
    public void prefetch() {
        if (!onThreads) return;
        if (client.host().address() instanceof java.net.UnixDomainSocketAddress u && !Files.exists(u.getPath())) return;
        asked = ask();
    }

    public ObjectNode collect(TelemetryState state) {
        ObjectNode prevAll = state.section("docker");
        DockerHost host = client.host();
        if (host.address() instanceof java.net.UnixDomainSocketAddress u && !Files.exists(u.getPath())) {
            prevAll.removeAll();
            return absent("no Docker socket at " + u.getPath());
        }
        ObjectNode d = F.objectNode();
        Asked asked = this.asked != null ? this.asked : ask();
        this.asked = null;
        JsonNode info;
        List<ListedContainer> list;
        try {
            // no separate /_ping: /info answers the same question, one request fewer on every sample
            info = asked.info == null ? cachedInfo : asked.info.get();
            list = asked.list.get();
        } catch (DockerApiException e) {
            if (e.status() < 0) { // no connection or no answer
                prevAll.removeAll();
                cachedInfo = null;
                lastList = null;
                return absent("the Docker daemon at " + host.display() + " does not answer");
            }
            return absent(e.getMessage());
        } catch (RuntimeException e) {
            return absent(e.getMessage());
        }
        if (asked.info != null) {
            cachedInfo = info;
            infoAt = System.nanoTime();
        }
        d.put("available", true);
        d.put("docker_available", true);
        d.put("engine_version", info.path("ServerVersion").asText(""));
        JsonNode sw = info.path("Swarm");
        String localState = sw.path("LocalNodeState").asText("inactive");
        String role = !localState.equals("active")
                ? "none"
                : sw.path("ControlAvailable").asBoolean(false) ? "manager" : "worker";
        ObjectNode swarm = d.putObject("swarm");
        swarm.put("state", localState.isEmpty() ? "inactive" : localState);
        swarm.put("role", role);
        swarm.put("node_id", sw.path("NodeID").asText(""));
        d.put("swarm_status", localState.equals("active") ? "active" : "inactive");
        d.put("node_state", localState.equals("active") ? sw.path("NodeAddr").asText("unknown") : "n/a");

        List<Container> containers = new ArrayList<>();
        for (ListedContainer c : list) containers.add(new Container(c));
        ArrayNode nextPrev = F.arrayNode();
        details(containers, Kept.read(prevAll), nextPrev, prevAll);
        int running = 0;
        int unhealthy = 0;
        int restarting = 0;
        ArrayNode out = F.arrayNode();
        for (Container c : containers) {
            String st = c.out.path("state").asText();
            if (st.equals("running")) running++;
            if (st.equals("restarting")) restarting++;
            if (c.out.path("health").asText().equals("unhealthy")) unhealthy++;
            out.add(c.out);
        }
        // the original script counted `docker ps -q` (running containers) for container_count and running_count
        Payload.put(d, COUNTS, containers.size(), running, unhealthy, restarting, running, running);
        d.set("containers", out);
        prevAll.set("containers", nextPrev);
        prevAll.set("container_columns", Kept.COLUMNS_NODE.deepCopy());
        return d;
    }

    static final String[] COUNTS = {
        "containers_total",
        "containers_running",
        "containers_unhealthy",
        "containers_restarting",
        "container_count",
        "running_count"
    };

    static ObjectNode absent(String reason) {
        ObjectNode d = F.objectNode();
        d.put("available", false);
        d.put("docker_available", false);
        d.put("reason", reason);
        return d;
    }

    /** One listed container through one collect. */
    private static final class Container {
        final ListedContainer listed;
        final String id;
        final ObjectNode out;
        Future<JsonNode> inspect;
        /** From the inspect, or from the previous sample when its main process is the same. */
        long pid;

        long pidStart = -1;
        String started = "";
        long restarts;
        boolean hostNetwork;
        boolean hasProcess;
        /** The previous sample's cgroup path for the same main process ({@link ContainerCgroups.Dirs#path}), or null. */
        String keptCgroup;
        /** Where the figures were read, or null; whether that was {@link #keptCgroup}. */
        ContainerCgroups.Dirs dirs;

        boolean atKeptCgroup;

        ContainerUsage usage;
        Future<JsonNode> stats;

        Container(ListedContainer listed) {
            this.listed = listed;
            this.id = listed.id();
            this.out = summary(listed);
        }

        /** Running or paused: a main process whose cgroups hold the figures. */
        boolean listedWithProcess() {
            return listed.state().equals("running") || listed.state().equals("paused");
        }
    }

    /**
     * What a sample keeps of a running container for the next one: {@link TelemetryState}'s {@code docker.containers},
     * one row (a JSON array, in the order of {@link #COLUMNS}, named once in {@code docker.container_columns}) per
     * container, and the boot id once ({@code docker.boot}). Rows, not objects keyed by container id: a cold JVM
     * parses and writes 50 of them in a third of the time (no 64-character field names to canonicalize; the state
     * of 50 containers: 12 KB instead of 18). A state whose columns are not these (another version's) keeps nothing.
     */
    record Kept(
            String started,
            long pid,
            long pidStart,
            long restarts,
            boolean hostNetwork,
            long cpu,
            long system,
            String cgroup) {
        static final String[] COLUMNS = {
            "id", "started", "pid", "pid_start", "restarts", "host_network", "cpu", "system", "cgroup"
        };
        static final ArrayNode COLUMNS_NODE = F.arrayNode();

        static {
            for (String c : COLUMNS) COLUMNS_NODE.add(c);
        }

        /** The previous sample's rows by container id; empty without any, or with another version's columns. */
        static Map<String, Kept> read(ObjectNode docker) {
            Map<String, Kept> kept = new HashMap<>();
            JsonNode rows = docker.path("containers");
            if (!rows.isArray() || !COLUMNS_NODE.equals(docker.path("container_columns"))) return kept;
            for (JsonNode r : rows) {
                if (r.size() != COLUMNS.length
                        || !r.path(0).isTextual()
                        || !r.path(1).isTextual()) continue;
                kept.put(
                        r.path(0).textValue(),
                        new Kept(
                                r.path(1).textValue(),
                                r.path(2).asLong(),
                                r.path(3).asLong(-2),
                                r.path(4).asLong(),
                                r.path(5).asBoolean(false),
                                r.path(6).asLong(-1),
                                r.path(7).asLong(-1),
                                r.path(8).textValue()));
            }
            return kept;
        }

        /** This container's row for the next sample. */
        static void write(ArrayNode rows, Container c) {
            ArrayNode r = rows.addArray();
            r.add(c.id);
            r.add(c.started);
            r.add(c.pid);
            r.add(c.pidStart);
            r.add(c.restarts);
            r.add(c.hostNetwork);
            r.add(c.usage.cpuNanos());
            r.add(c.usage.systemNanos());
            if (c.dirs != null && c.dirs.path() != null) r.add(c.dirs.path());
            else r.addNull();
        }
    }

    private void details(List<Container> containers, Map<String, Kept> prev, ArrayNode nextPrev, ObjectNode prevAll) {
        if (containers.isEmpty()) {
            resolved.clear();
            cgroups.closeUnread();
            return;
        }
        boolean useCgroups = source == StatsSource.CGROUP;
        if (useCgroups) cgroups.refresh();
        String boot = useCgroups ? cgroups.bootId() : "";
        String prevBoot = prevAll.path("boot").asText();
        prevAll.put("boot", boot);
        if (!resolved.isEmpty()) {
            Set<String> listed = new HashSet<>();
            for (Container c : containers) listed.add(c.id);
            resolved.keySet().retainAll(listed);
        }
        // 1. who needs an inspect: every container, but a running one whose main process is the previous sample's
        List<Container> known = new ArrayList<>();
        List<Container> toInspect = new ArrayList<>();
        for (Container c : containers) {
            Kept p = prev.get(c.id);
            if (useCgroups
                    && c.listedWithProcess()
                    && p != null
                    && prevBoot.equals(boot)
                    && p.pid() > 0
                    && cgroups.processStart(p.pid()) == p.pidStart()) {
                c.pid = p.pid();
                c.pidStart = p.pidStart();
                c.started = p.started();
                c.restarts = p.restarts();
                c.hostNetwork = p.hostNetwork();
                c.keptCgroup = p.cgroup();
                c.hasProcess = true;
                known.add(c);
            } else {
                toInspect.add(c);
            }
        }
        ExecutorService inspectPool = toInspect.isEmpty() ? null : pool(Math.min(INSPECT_THREADS, toInspect.size()));
        ExecutorService statsPool = null;
        try {
            for (Container c : toInspect) c.inspect = inspectPool.submit(() -> client.container(c.id));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            long system = useCgroups ? cgroups.systemCpuNanos() : -1;
            int cpus = useCgroups ? cgroups.onlineCpus() : 0;
            // 2. the known ones' figures while the inspects are on their way
            for (Container c : known) fromCgroups(c, system, cpus);
            // 3. the inspected ones
            for (Container c : toInspect) {
                try {
                    inspected(c, await(c.inspect, deadline));
                    if (c.hasProcess && useCgroups) fromCgroups(c, system, cpus);
                } catch (Exception e) {
                    c.out.put("error", message(e));
                }
            }
            // 4. the Engine API's one-shot stats for the rest, all at once (one stats tick)
            List<Container> viaApi = new ArrayList<>();
            for (Container c : containers) {
                if (c.hasProcess && c.usage == null && !c.out.has("error")) viaApi.add(c);
            }
            if (!viaApi.isEmpty()) {
                statsPool = pool(Math.min(MAX_IN_FLIGHT, viaApi.size()));
                for (Container c : viaApi) c.stats = statsPool.submit(() -> client.containerStats(c.id));
                for (Container c : viaApi) {
                    try {
                        c.usage = ContainerUsage.fromEngineStats(await(c.stats, deadline), c.hostNetwork);
                    } catch (Exception e) {
                        c.out.put("error", message(e));
                    }
                }
                if (useCgroups)
                    Log.debug(viaApi.size() + " container(s) from the Engine API's stats: no cgroup found for them");
            }
        } finally {
            // no interrupts: a request still running (its answer no longer wanted) ends by its own 5 s deadline,
            // on a daemon thread
            if (inspectPool != null) inspectPool.shutdown();
            if (statsPool != null) statsPool.shutdown();
        }
        if (useCgroups) cgroups.closeUnread();
        // 5. the figures, the CPU % against the previous sample, and what the next sample needs
        boolean memoryMissing = false;
        int fromKept = 0;
        for (Container c : containers) {
            if (!c.hasProcess) {
                if (!c.out.has("error")) c.out.putNull("cpu_percent");
                continue;
            }
            if (c.usage == null) continue;
            fill(c.out, c.usage, prevBoot.equals(boot) ? cpuPercent(prev.get(c.id), c.started, c.usage) : null);
            memoryMissing |= c.usage.memoryBytes() == null;
            Kept.write(nextPrev, c);
            if (c.atKeptCgroup) fromKept++;
        }
        if (Log.verbose()) {
            Log.debug("docker: " + containers.size() + " containers, " + toInspect.size() + " inspected, "
                    + known.size() + " with the previous sample's main process; usage from "
                    + (useCgroups
                            ? "cgroups (" + fromKept + " at the previous sample's cgroup path)"
                            : "the Engine API")
                    + (listReused ? "; the list of the previous sample (no container event since)" : ""));
        }
        if (memoryMissing
                && useCgroups
                && !boot.equals(prevAll.path("memory_hint_boot").asText())
                && !cgroups.memoryControllerOn()) {
            Log.warn(
                    "container memory is not reported: the kernel's memory cgroup controller is off (Raspberry Pi OS's default); add"
                            + " cgroup_memory=1 cgroup_enable=memory to the kernel command line (/boot/firmware/cmdline.txt, /boot/cmdline.txt"
                            + " before Raspberry Pi OS 12) and reboot");
            prevAll.put("memory_hint_boot", boot);
        }
    }

    /** The inspect's facts: restart count, health, state, and for a running container its main process. */
    private void inspected(Container c, JsonNode inspect) {
        JsonNode state = inspect.path("State");
        c.restarts = inspect.path("RestartCount").asLong(0);
        c.started = state.path("StartedAt").asText("");
        c.pid = state.path("Pid").asLong(0);
        c.hostNetwork =
                inspect.path("HostConfig").path("NetworkMode").asText("").equals("host");
        c.hasProcess = state.path("Running").asBoolean(false)
                && !state.path("Restarting").asBoolean(false);
        if (c.hasProcess && source == StatsSource.CGROUP) c.pidStart = cgroups.processStart(c.pid);
        c.out.put("restart_count", c.restarts);
        String health = state.path("Health").path("Status").asText("");
        if (!health.isEmpty()) c.out.put("health", health);
        if (state.path("Restarting").asBoolean(false)) c.out.put("state", "restarting");
    }

    private void fromCgroups(Container c, long system, int cpus) {
        if (!c.out.has("restart_count")) c.out.put("restart_count", c.restarts);
        if (system < 0 || cpus <= 0) return;
        Resolved r = resolved.get(c.id);
        boolean cached = r != null && r.pid == c.pid && r.pidStart == c.pidStart && c.pidStart >= 0;
        // this collector's own, else the previous sample's path (a timer run: kept in the state), else resolved
        ContainerCgroups.Dirs dirs = cached ? r.dirs : c.keptCgroup == null ? null : cgroups.at(c.keptCgroup, c.id);
        if (dirs != null) c.usage = cgroups.read(dirs, c.pid, c.hostNetwork, system, cpus);
        if (c.usage == null && cached) {
            resolved.remove(c.id); // its cgroup went: resolved again next time
            return;
        }
        if (c.usage == null) { // no kept path, or it no longer reads: /proc/PID/cgroup
            dirs = cgroups.resolve(c.pid, c.id);
            if (dirs != null) c.usage = cgroups.read(dirs, c.pid, c.hostNetwork, system, cpus);
        } else {
            c.atKeptCgroup = !cached;
        }
        if (c.usage == null) return;
        c.dirs = dirs;
        if (!cached) resolved.put(c.id, new Resolved(c.pid, c.pidStart, dirs));
    }

    /** The cgroup directories of a container's main process (pid and start time: the same process), found once. */
    private record Resolved(long pid, long pidStart, ContainerCgroups.Dirs dirs) {}

    /**
     * In a long-lived collector (the daemon): each running container's cgroup directories, kept for as long as its
     * main process lives, so that {@code /proc/PID/cgroup} and the mount table are read once per container, not
     * on every sample. Only containers of the last list are kept.
     */
    private final Map<String, Resolved> resolved = new HashMap<>();

    private static ExecutorService pool(int threads) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "docker-api");
            t.setDaemon(true);
            return t;
        });
    }

    private static String message(Exception e) {
        return String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
    }

    private static JsonNode await(Future<JsonNode> f, long deadline) throws Exception {
        return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** What the list alone tells: id, name, image, state, health from the Status text. */
    static ObjectNode summary(ListedContainer c) {
        ObjectNode o = F.objectNode();
        String id = c.id();
        o.put("id", id.length() > 12 ? id.substring(0, 12) : id);
        String name = c.name();
        o.put("name", name.startsWith("/") ? name.substring(1) : name);
        o.put("image", c.image());
        o.put("state", c.state());
        o.put("health", healthFromStatus(c.status()));
        return o;
    }

    /** "Up 3 minutes (unhealthy)" → unhealthy; no parenthesis → none. */
    static String healthFromStatus(String status) {
        if (status.contains("(unhealthy)")) return "unhealthy";
        if (status.contains("(healthy)")) return "healthy";
        if (status.contains("(health: starting)")) return "starting";
        return "none";
    }

    /** Puts the figures of {@code u} into the container's entry; a figure the kernel does not give is null. */
    static void fill(ObjectNode o, ContainerUsage u, Double cpuPercent) {
        o.put("cpu_percent", cpuPercent);
        o.put("cpu_usage_seconds_total", u.cpuNanos() / 1e9);
        o.put("memory_usage_bytes", u.memoryBytes());
        o.put("memory_limit_bytes", u.memoryLimit());
        o.put("network_rx_bytes", u.networkRxBytes());
        o.put("network_tx_bytes", u.networkTxBytes());
        o.put("block_read_bytes", u.blockReadBytes());
        o.put("block_write_bytes", u.blockWriteBytes());
        o.put("pids_current", u.pids());
    }

    /**
     * docker stats' formula between the previous sample ({@code prev}: its StartedAt and counters, on this boot) and
     * now; null without a previous sample of the same container run, or when a counter went down.
     */
    static Double cpuPercent(Kept prev, String started, ContainerUsage u) {
        if (prev == null || prev.cpu() < 0 || prev.system() < 0) return null;
        if (!prev.started().equals(started)) return null;
        long dCpu = u.cpuNanos() - prev.cpu();
        long dSys = u.systemNanos() - prev.system();
        if (dCpu < 0 || dSys <= 0) return null;
        return CpuTicks.round2(100.0 * dCpu / dSys * u.onlineCpus());
    }

    /** For messages: where the daemon is expected. */
    public static Path defaultSocket() {
        return Path.of(DockerHost.DEFAULT_SOCKET);
    }
}
