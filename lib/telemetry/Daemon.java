package lib.telemetry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import lib.cli.Log;
import lib.cli.N0d3Exception;

/**
 * Daemon mode: a cycle every interval, and a {@link MetricsServer} on {@code endpoints.metrics.listen}
 * serving the last sample in Prometheus text on {@code /metrics}, liveness on {@code /health} (503 once
 * no cycle has finished for three intervals) and readiness on {@code /ready} (503 until the first
 * sample). Holds the state dir's lock for its whole life, so timer runs on the same state dir step
 * aside. SIGTERM stops it after the cycle in progress. Its state (the last sample's counters, for rates) lives in
 * memory and is saved every {@link #SAVE_EVERY_MILLIS} and at stop, or after every cycle when it sends to the
 * management node (the send back-off must survive a crash).
 */
public final class Daemon {
    private final TelemetryAgent agent;
    private final TelemetryConfig cfg;
    private volatile String exposition;
    private volatile long lastCycleEnd;
    private volatile long started;
    private volatile String lastError;
    private MetricsServer server;
    private ScheduledExecutorService loop;
    private RunLock lock;
    private TelemetryState state;
    private Spool spool;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** How often a daemon that does not send to the management node saves its state (and at stop). */
    static final long SAVE_EVERY_MILLIS = 300_000;

    private long savedAt;

    public Daemon(TelemetryAgent agent) {
        this.agent = agent.longLived();
        this.cfg = agent.config();
    }

    /** Binds, takes the lock and starts the loop; returns the bound address. */
    public InetSocketAddress start() throws IOException {
        Path dir = cfg.stateDir();
        StateDir.create(dir);
        lock = RunLock.tryAcquire(dir);
        if (lock == null) {
            throw N0d3Exception.unexpectedState(
                    "another telemetry run (pid " + RunLock.holder(dir) + ") holds " + dir.resolve(RunLock.FILE)
                            + "; stop it (or the pr-cybr-telemetry.timer) before starting the daemon on the same state dir");
        }
        TelemetryState.removeObsolete(dir);
        state = TelemetryState.load(dir);
        spool = Spool.open(dir, cfg.spoolMaxBytes(), cfg.spoolMaxAge());
        InetSocketAddress want =
                new InetSocketAddress(cfg.listen().getHostString(), cfg.listen().getPort());
        try {
            server = MetricsServer.start(want, this::route);
        } catch (IOException e) {
            lock.close();
            throw N0d3Exception.failure("cannot listen on " + cfg.listen().getHostString() + ":"
                    + cfg.listen().getPort() + " (endpoints.metrics.listen / --listen): " + e.getMessage());
        }
        started = System.currentTimeMillis();
        loop = Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "telemetry-loop"));
        // runCycle catches and records its own failures, so the future never completes exceptionally;
        // stop() ends the schedule by shutting the executor down
        ScheduledFuture<?> unused =
                loop.scheduleAtFixedRate(this::runCycle, 0, cfg.interval().toMillis(), TimeUnit.MILLISECONDS);
        return server.address();
    }

    private static Thread daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void runCycle() {
        try {
            long now = System.currentTimeMillis();
            boolean save = cfg.sinks().contains(TelemetryConfig.Sink.MGMT) || now - savedAt >= SAVE_EVERY_MILLIS;
            TelemetryAgent.Cycle c = agent.cycle(state, spool, save, false);
            if (save) savedAt = now;
            exposition = PrometheusText.render(c.payload());
            lastError = null;
        } catch (Exception | LinkageError e) {
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            Log.error("telemetry cycle failed: " + lastError);
        } finally {
            lastCycleEnd = System.currentTimeMillis();
        }
    }

    /** Blocks until {@link #stop} (the shutdown hook on SIGTERM). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    public void stop() {
        try {
            if (loop != null) {
                loop.shutdown();
                if (loop.awaitTermination(cfg.sendBudget().toMillis() + 30_000, TimeUnit.MILLISECONDS)
                        && state != null
                        && savedAt > 0) saveAtStop();
            }
            if (server != null) server.stop();
            agent.close();
            if (lock != null) lock.close();
        } catch (IOException | InterruptedException e) {
            Log.debug("stopping: " + e);
        } finally {
            stopped.countDown();
        }
    }

    /** The last cycle's counters, so that the next start computes its rates from them. */
    private void saveAtStop() {
        try {
            state.save();
        } catch (IOException e) {
            Log.warn("could not save the telemetry state at stop (" + e.getMessage()
                    + "); the next start's first sample has no rates");
        }
    }

    private static final String TEXT = "text/plain; charset=utf-8";

    private MetricsServer.Response route(String path) {
        if (path.equals(cfg.metricsPath())) return metrics();
        if (path.equals(cfg.healthPath())) return health();
        if (path.equals(cfg.readyPath())) return ready();
        return new MetricsServer.Response(404, TEXT, "not found\n");
    }

    private MetricsServer.Response metrics() {
        String e = exposition;
        return e == null
                ? new MetricsServer.Response(503, TEXT, "no sample yet\n")
                : new MetricsServer.Response(200, PrometheusText.CONTENT_TYPE, e);
    }

    private MetricsServer.Response health() {
        long now = System.currentTimeMillis();
        long ref = lastCycleEnd > 0 ? lastCycleEnd : started;
        boolean alive =
                now - ref <= 3 * cfg.interval().toMillis() + cfg.sendBudget().toMillis();
        return new MetricsServer.Response(
                alive ? 200 : 503,
                TEXT,
                alive
                        ? "ok\n"
                        : "no telemetry cycle finished for " + (now - ref) / 1000 + "s"
                                + (lastError == null ? "" : " (last error: " + lastError + ")") + "\n");
    }

    private MetricsServer.Response ready() {
        boolean ready = exposition != null;
        return new MetricsServer.Response(ready ? 200 : 503, TEXT, ready ? "ready\n" : "no sample yet\n");
    }
}
