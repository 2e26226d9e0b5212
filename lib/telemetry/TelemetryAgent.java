package lib.telemetry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import lib.cli.ExitCode;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.docker.DockerClient;
import lib.json.Json;
import lib.mgmt.MgmtClient;
import lib.swarm.LeftMarker;

/**
 * One telemetry cycle, shared by timer mode ({@link #once}) and the {@link Daemon}: collect host and
 * Docker metrics, build the payload, write it to the spool (durably, before any send) when the
 * management node is a sink, save the state, then feed the sinks: stdout, the textfile, and a flush
 * of the spool to the management node.
 */
public final class TelemetryAgent {
    /** What a cycle produced; {@code exitCode} is what a --once run exits with. */
    public record Cycle(ObjectNode payload, Sender.Outcome delivery, Path textfile, int exitCode) {}

    private final TelemetryConfig cfg;
    private final String nodeId;
    private final HostCollector host = new HostCollector();
    private final DockerCollector docker;
    private final MgmtClient mgmt;
    private final boolean pretty;
    private LeftMarker leftMarker = new LeftMarker(LeftMarker.DEFAULT_DIR);

    public TelemetryAgent(
            TelemetryConfig cfg, String nodeId, Map<String, String> env, MgmtClient mgmt, boolean pretty) {
        this.cfg = cfg;
        this.nodeId = nodeId;
        this.docker = new DockerCollector(DockerClient.fromEnv(env), cfg.dockerStats());
        this.mgmt = mgmt;
        this.pretty = pretty;
    }

    /**
     * For the daemon: dockerd's answers on the sampling thread, the list asked again only after a container event,
     * cgroup files kept open ({@link DockerCollector#longLived}).
     */
    public TelemetryAgent longLived() {
        docker.longLived();
        return this;
    }

    /** Ends what a long-lived agent keeps open (dockerd's event stream). */
    public void close() {
        docker.close();
    }

    public TelemetryConfig config() {
        return cfg;
    }

    /** Where swarm-join records a deliberate leave (default {@link LeftMarker#DEFAULT_DIR}); for tests and swarm-join --state-dir. */
    public TelemetryAgent leftMarker(LeftMarker m) {
        this.leftMarker = m;
        return this;
    }

    /**
     * Timer mode: one sample, flush the spool, exit. Returns the exit code. When another run holds the
     * lock: a stdout-only run samples anyway without saving any state; any other run exits 0 at once.
     */
    public int once(boolean forceSend) throws IOException {
        Path dir = cfg.stateDir();
        StateDir.create(dir);
        try (RunLock lock = RunLock.tryAcquire(dir)) {
            if (lock == null) {
                String holder = RunLock.holder(dir);
                if (cfg.sinks().equals(Set.of(TelemetryConfig.Sink.STDOUT))) {
                    Log.info("another telemetry run (pid " + holder + ") holds " + dir.resolve(RunLock.FILE)
                            + "; sampling without updating its state");
                    TelemetryState readOnly = TelemetryState.load(dir);
                    return cycle(readOnly, null, false, false).exitCode();
                }
                Log.info("another telemetry run (pid " + holder + ") holds " + dir.resolve(RunLock.FILE)
                        + "; nothing to do, exiting");
                return ExitCode.OK;
            }
            TelemetryState.removeObsolete(dir);
            TelemetryState state = TelemetryState.load(dir);
            Spool spool = Spool.open(dir, cfg.spoolMaxBytes(), cfg.spoolMaxAge());
            return cycle(state, spool, true, forceSend).exitCode();
        }
    }

    /** Collect, spool, save state, sinks. {@code spool} null means read-only (no spool, no state saved). */
    public Cycle cycle(TelemetryState state, Spool spool, boolean saveState, boolean forceSend) throws IOException {
        long now = System.currentTimeMillis();
        long t0 = System.nanoTime();
        docker.prefetch(); // dockerd answers /info and the list while the host is sampled
        HostCollector.Result h = host.collect(state, now);
        long t1 = System.nanoTime();
        ObjectNode d = docker.collect(state);
        long t2 = System.nanoTime();
        ObjectNode payload = Payload.build(nodeId, Instant.ofEpochMilli(now), h, d, spoolStats(spool));
        Payload.agentSettings(
                payload, cfg.interval(), cfg.swarmEnabled() && !leftMarker.present()); // one stat() per cycle
        if (Log.verbose()) {
            Log.debug("collected in " + (System.nanoTime() - t0) / 1_000_000 + " ms: host " + (t1 - t0) / 1_000_000
                    + " ms, docker " + (t2 - t1) / 1_000_000 + " ms ("
                    + d.path("containers_total").asInt(0) + " containers)");
        }
        boolean toMgmt = cfg.sinks().contains(TelemetryConfig.Sink.MGMT) && spool != null;
        if (toMgmt) {
            spool.append(Json.bytes(payload), now);
        }
        if (saveState) state.save();

        int exit = ExitCode.OK;
        if (cfg.sinks().contains(TelemetryConfig.Sink.STDOUT)) {
            Log.result(pretty ? Json.prettyBytes(payload) : Json.bytes(payload));
        }
        Path textfile = null;
        if (cfg.sinks().contains(TelemetryConfig.Sink.TEXTFILE)) {
            try {
                textfile = PrometheusText.writeTextfile(cfg.textfileDir(), payload);
                Log.debug("wrote " + textfile);
            } catch (IOException e) {
                Log.error("cannot write the Prometheus textfile into " + cfg.textfileDir() + ": " + e.getMessage());
                exit = ExitCode.FAILURE;
            }
        }
        Sender.Outcome outcome = null;
        if (toMgmt) {
            Sender sender = new Sender(mgmt, spool, cfg.batchSize(), cfg.retry(), cfg.stateDir());
            outcome = sender.flush(
                    state.section("send"),
                    now,
                    System.currentTimeMillis() + cfg.sendBudget().toMillis(),
                    forceSend);
            if (saveState) state.save();
            switch (outcome.kind()) {
                case DELIVERED, EMPTY -> {
                    if (outcome.deadLettered() > 0) {
                        Log.error(outcome.message());
                        exit = ExitCode.FAILURE;
                    } else {
                        Log.ok(outcome.message() + " to " + mgmt.base());
                    }
                }
                case DEFERRED, OUTAGE -> Log.warn(outcome.message());
                case AUTH -> {
                    Log.error(outcome.message());
                    exit = ExitCode.FAILURE;
                }
                default -> throw N0d3Exception.failure("unexpected delivery outcome " + outcome.kind());
            }
        }
        return new Cycle(payload, outcome, textfile, exit);
    }

    static ObjectNode spoolStats(Spool spool) {
        ObjectNode t = JsonNodeFactory.instance.objectNode();
        t.put("spool_samples", spool == null ? 0 : spool.size());
        t.put("spool_bytes", spool == null ? 0 : spool.bytes());
        t.put("dropped_total", spool == null ? 0 : spool.counter("dropped_total"));
        t.put("dead_lettered_total", spool == null ? 0 : spool.counter("dead_lettered_total"));
        t.put("corrupt_total", spool == null ? 0 : spool.counter("corrupt_total"));
        return t;
    }
}
