package lib.telemetry;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.config.Codex;
import lib.config.Settings;
import lib.config.Units;
import lib.http.RetryPolicy;

/**
 * Telemetry's effective settings: {@code capabilities.telemetry} and {@code endpoints} of codex.yaml,
 * MGMT_NODE_URL and TELEMETRY_INTERVAL from the environment, and the command's flags on top; and
 * {@code capabilities.swarm.enabled}, which the samples report (pr_cybr_swarm_membership_expected).
 */
public record TelemetryConfig(
        Path stateDir,
        Set<Sink> sinks,
        Path textfileDir,
        long spoolMaxBytes,
        Duration spoolMaxAge,
        int batchSize,
        Duration sendBudget,
        RetryPolicy retry,
        Duration interval,
        InetSocketAddress listen,
        String metricsPath,
        String healthPath,
        String readyPath,
        boolean swarmEnabled,
        DockerCollector.StatsSource dockerStats) {

    /** Where a sample goes. */
    public enum Sink {
        STDOUT,
        MGMT,
        TEXTFILE;

        /** Parses a --output value: "-" or stdout, mgmt, textfile. */
        public static Sink parse(String v) {
            return switch (v.strip().toLowerCase(Locale.ROOT)) {
                case "-", "stdout" -> STDOUT;
                case "mgmt", "management" -> MGMT;
                case "textfile", "prom" -> TEXTFILE;
                default -> throw N0d3Exception.usage("--output: expected -, mgmt or textfile, got '" + v + "'");
            };
        }
    }

    /** The default state dir when the configured one cannot be used and was not asked for explicitly. */
    public static Path userStateDir(java.util.Map<String, String> env) {
        String xdg = env.get("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("pr-cybr").resolve("telemetry");
    }

    /**
     * The telemetry run's settings: each flag given, else the config, else the default.
     *
     * @param outputs    --output values (empty: from the config: mgmt when a management node is set,
     *                   textfile when textfile_dir is set, stdout when neither, in --once mode)
     * @param stateFlag  --state-dir, or null
     * @param intervalFlag --interval as typed, or null ({@link Settings#telemetryInterval(String)} owns the rule)
     */
    public static TelemetryConfig resolve(
            Settings s,
            List<String> outputs,
            Path stateFlag,
            Path textfileFlag,
            String intervalFlag,
            String listenFlag,
            boolean daemon) {
        Codex.Telemetry t = s.codex().capabilities().telemetry();
        Path textfile = s.textfileDir(textfileFlag);
        Set<Sink> sinks = EnumSet.noneOf(Sink.class);
        if (outputs != null && !outputs.isEmpty()) {
            for (String o : outputs) {
                for (String part : o.split(",")) sinks.add(Sink.parse(part));
            }
        } else {
            if (s.mgmtUrl().isPresent()) sinks.add(Sink.MGMT);
            if (textfile != null) sinks.add(Sink.TEXTFILE);
            if (sinks.isEmpty() && !daemon) sinks.add(Sink.STDOUT);
        }
        if (sinks.contains(Sink.MGMT) && s.mgmtUrl().isEmpty()) {
            throw N0d3Exception.usage(
                    "--output mgmt: no management node configured (set MGMT_NODE_URL or management.api_endpoint in "
                            + s.describeSource() + ")");
        }
        if (sinks.contains(Sink.TEXTFILE) && textfile == null) {
            throw N0d3Exception.usage(
                    "--output textfile: no directory (give --textfile-dir or capabilities.telemetry.textfile_dir in "
                            + s.describeSource() + ")");
        }
        long maxBytes;
        try {
            maxBytes = Units.bytes(
                    t.spool() == null || t.spool().maxBytes() == null
                            ? "16MiB"
                            : t.spool().maxBytes());
        } catch (IllegalArgumentException e) {
            throw N0d3Exception.usage(
                    s.describeSource() + ": capabilities.telemetry.spool.max_bytes: " + e.getMessage());
        }
        Duration maxAge = t.spool() == null || t.spool().maxAge() == null
                ? Duration.ofDays(7)
                : t.spool().maxAge();
        Duration initial = t.backoff() == null || t.backoff().initial() == null
                ? RetryPolicy.DEFAULT.initial()
                : t.backoff().initial();
        Duration max = t.backoff() == null || t.backoff().max() == null
                ? RetryPolicy.DEFAULT.max()
                : t.backoff().max();
        Duration interval = s.telemetryInterval(intervalFlag);
        Settings.Value<String> listen = s.metricsListen(listenFlag);
        Codex.Endpoints ep = s.codex().endpoints();
        return new TelemetryConfig(
                s.telemetryStateDir(stateFlag),
                sinks,
                textfile,
                maxBytes,
                maxAge,
                t.batchSize() == null ? 1 : t.batchSize(),
                t.sendBudget() == null ? Duration.ofSeconds(30) : t.sendBudget(),
                new RetryPolicy(initial, max),
                interval,
                address(listen.value(), listen.from()),
                ep.metrics().path(),
                ep.health().path(),
                ep.ready().path(),
                Boolean.TRUE.equals(s.codex().capabilities().swarm().enabled()),
                DockerCollector.StatsSource.CGROUP);
    }

    /** Where container usage comes from (--docker-stats). */
    public TelemetryConfig withDockerStats(DockerCollector.StatsSource source) {
        return with(stateDir, source);
    }

    private TelemetryConfig with(Path dir, DockerCollector.StatsSource source) {
        return new TelemetryConfig(
                dir,
                sinks,
                textfileDir,
                spoolMaxBytes,
                spoolMaxAge,
                batchSize,
                sendBudget,
                retry,
                interval,
                listen,
                metricsPath,
                healthPath,
                readyPath,
                swarmEnabled,
                source);
    }

    static InetSocketAddress address(String hostPort, String what) {
        int i = hostPort == null ? -1 : hostPort.lastIndexOf(':');
        if (i <= 0) throw N0d3Exception.usage(what + ": expected host:port, got '" + hostPort + "'");
        String host = hostPort.substring(0, i); // "[::1]" -> "::1": brackets off, by hand (no pattern on a timer run)
        if (host.startsWith("[")) host = host.substring(1);
        if (host.endsWith("]")) host = host.substring(0, host.length() - 1);
        try {
            int port = Integer.parseInt(hostPort.substring(i + 1));
            if (port < 0 || port > 65535) throw new NumberFormatException();
            return InetSocketAddress.createUnresolved(host, port);
        } catch (NumberFormatException e) {
            throw N0d3Exception.usage(what + ": expected a port 0-65535 in '" + hostPort + "'");
        }
    }

    /**
     * Makes sure the state dir exists and is writable. The configured default falls back to the
     * user's state dir (~/.local/state/pr-cybr/telemetry) when it cannot be created (not root);
     * an explicit --state-dir never falls back.
     */
    public TelemetryConfig withUsableStateDir(boolean explicit, java.util.Map<String, String> env) {
        if (usable(stateDir)) return this;
        if (explicit) {
            throw N0d3Exception.usage("--state-dir " + stateDir + ": cannot create or write to it");
        }
        Path fallback = userStateDir(env);
        if (!usable(fallback)) {
            throw N0d3Exception.usage(
                    "state dir " + stateDir + " (capabilities.telemetry.state_dir) is not writable, nor is " + fallback
                            + "; run as root or give --state-dir");
        }
        Log.debug("state dir " + stateDir + " is not writable; using " + fallback);
        return with(fallback, dockerStats);
    }

    private static boolean usable(Path dir) {
        try {
            StateDir.create(dir);
            return Files.isWritable(dir);
        } catch (java.io.IOException | SecurityException e) {
            return false;
        }
    }
}
