///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.github.oshi:oshi-core:6.9.3
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.8
//DEPS com.fasterxml.jackson.dataformat:jackson-dataformat-yaml:2.21.8
//DEPS com.networknt:json-schema-validator:1.5.9
//DEPS org.slf4j:slf4j-api:2.0.20
//DEPS org.slf4j:slf4j-nop:2.0.20
//SOURCES lib/cli/BaseCommand.java
//SOURCES lib/cli/Cli.java
//SOURCES lib/cli/QuickArgs.java
//SOURCES lib/cli/CommonOptions.java
//SOURCES lib/cli/ExitCode.java
//SOURCES lib/cli/Log.java
//SOURCES lib/cli/N0d3Exception.java
//SOURCES lib/cli/Version.java
//SOURCES lib/secret/Redactor.java
//SOURCES lib/secret/Secret.java
//SOURCES lib/secret/SecretSource.java
//SOURCES lib/config/Codex.java
//SOURCES lib/config/CodexCache.java
//SOURCES lib/config/Resources.java
//SOURCES lib/config/CodexLoader.java
//SOURCES lib/config/SchemaHints.java
//SOURCES lib/config/Settings.java
//SOURCES lib/host/HostName.java
//SOURCES lib/config/Units.java
//SOURCES lib/docker/ContainerEvents.java
//SOURCES lib/docker/DockerApiException.java
//SOURCES lib/docker/DockerClient.java
//SOURCES lib/docker/DockerHost.java
//SOURCES lib/docker/EngineHttp.java
//SOURCES lib/docker/ListedContainer.java
//SOURCES lib/json/Json.java
//SOURCES lib/host/Arch.java
//SOURCES lib/http/Endpoint.java
//SOURCES lib/http/HttpTransport.java
//SOURCES lib/http/PatchSender.java
//SOURCES lib/http/Response.java
//SOURCES lib/http/Retry.java
//SOURCES lib/http/TransportException.java
//SOURCES lib/mgmt/MgmtClient.java
//SOURCES lib/http/RetryPolicy.java
//SOURCES lib/telemetry/AtomicFile.java
//SOURCES lib/telemetry/CpuTicks.java
//SOURCES lib/telemetry/Daemon.java
//SOURCES lib/telemetry/DockerCollector.java
//SOURCES lib/telemetry/HostCollector.java
//SOURCES lib/telemetry/NetworkRates.java
//SOURCES lib/telemetry/Payload.java
//SOURCES lib/telemetry/PrometheusText.java
//SOURCES lib/telemetry/RunLock.java
//SOURCES lib/telemetry/Sender.java
//SOURCES lib/telemetry/Spool.java
//SOURCES lib/telemetry/StateDir.java
//SOURCES lib/telemetry/SpoolRecord.java
//SOURCES lib/telemetry/TelemetryAgent.java
//SOURCES lib/telemetry/TelemetryConfig.java
//SOURCES lib/telemetry/TelemetryState.java
//SOURCES lib/swarm/LeftMarker.java
//SOURCES lib/telemetry/KernelFiles.java
//SOURCES lib/telemetry/CgroupMounts.java
//SOURCES lib/telemetry/ContainerCgroups.java
//SOURCES lib/telemetry/ContainerUsage.java
//SOURCES lib/telemetry/MetricsServer.java
//FILES codex.yaml
//FILES schemas/codex.schema.json=schemas/codex.schema.json
//FILES schemas/telemetry-payload.schema.json=schemas/telemetry-payload.schema.json

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lib.cli.BaseCommand;
import lib.cli.Cli;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.cli.Version;
import lib.config.Settings;
import lib.config.Units;
import lib.mgmt.MgmtClient;
import lib.telemetry.Daemon;
import lib.telemetry.DockerCollector;
import lib.telemetry.Payload;
import lib.telemetry.StateDir;
import lib.telemetry.TelemetryAgent;
import lib.telemetry.TelemetryConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "telemetry.java",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        description = {
            "Samples this node's host and Docker metrics and reports them to the management node, stdout and/or a Prometheus textfile; never loses a sample on the way to the management node (disk spool, at-least-once).",
            "",
            "Modes: --once (the default: one sample, flush the spool, exit; what pr-cybr-telemetry.timer runs) or --daemon (a sample every --interval, serving /metrics, /health and /ready on endpoints.metrics.listen).",
            "",
            "Sinks (--output, repeatable or comma separated; without it: mgmt when a management node is configured, textfile when capabilities.telemetry.textfile_dir is set, else stdout in --once mode):",
            "  -         one JSON sample per line on stdout",
            "            (schemas/telemetry-payload.schema.json)",
            "  mgmt      POST {MGMT_NODE_URL}/api/telemetry with Authorization: Bearer",
            "            API_TOKEN, via the spool",
            "  textfile  pr_cybr_telemetry.prom in --textfile-dir, for node_exporter's",
            "            textfile collector",
        },
        footer = {
            "",
            "Environment: MGMT_NODE_URL (management.api_endpoint), API_TOKEN_FILE or API_TOKEN (bearer token), TELEMETRY_INTERVAL (capabilities.telemetry.interval), NODE_ID (default node-NODE_NAME), NODE_NAME (metadata.node_name, default the host name), DOCKER_HOST (default unix:///var/run/docker.sock).",
            "",
            "codex.yaml capabilities.telemetry: state_dir, textfile_dir, batch_size, send_budget, spool.max_bytes, spool.max_age, backoff.initial, backoff.max; endpoints.metrics.listen and the three paths.",
            "",
            "The spool: each sample is fsync'd to STATE_DIR/spool before any send and removed only after a 2xx; receivers deduplicate on sample_id. 4xx (not 401/403/408/429) moves a batch to STATE_DIR/dead-letter/. Overlapping runs are serialised by STATE_DIR/lock: the second exits 0 with a message.",
            "",
            "pr-cybr-telemetry.service runs:",
            "  /usr/bin/java -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=5",
            "  -XX:+UseSerialGC -Xss512k -Xmx64m -XX:-UsePerfData",
            "  -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0",
            "  -XX:SharedArchiveFile=/var/lib/pr-cybr/telemetry/n0d3.jsa -Xshare:auto",
            "  -Xlog:cds=off -jar /opt/pr-cybr/n0d3.jar telemetry --once",
            "",
            "Exit codes: 0 ok (also: management node down, sample spooled; another run holds the lock), 1 operational failure (token refused, batch dead-lettered, textfile not written), 2 usage or config error."
        })
public class telemetry extends BaseCommand {
    // two plain options, not a picocli @ArgGroup: the group machinery is start-up cost on every timer run
    @Option(names = "--once", description = "One sample, flush the spool, exit (default).")
    boolean once;

    @Option(names = "--daemon", description = "Sample every --interval and serve /metrics, /health, /ready.")
    boolean daemon;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "SINK",
            description = "-, mgmt or textfile (repeatable).")
    List<String> outputs = new ArrayList<>();

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            description =
                    "Daemon sampling interval, above zero (default: TELEMETRY_INTERVAL, capabilities.telemetry.interval).")
    String interval;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Spool, CPU ticks, counters and lock (default: capabilities.telemetry.state_dir,"
                    + " falling back to ~/.local/state/pr-cybr/telemetry when that is not writable).")
    Path stateDir;

    @Option(
            names = "--textfile-dir",
            paramLabel = "DIR",
            description = "node_exporter textfile directory (capabilities.telemetry.textfile_dir).")
    Path textfileDir;

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            description = "Daemon address (default: endpoints.metrics.listen, 127.0.0.1:10464).")
    String listen;

    @Option(names = "--pretty", description = "Indent the JSON printed on stdout.")
    boolean pretty;

    @Option(names = "--send-now", description = "Ignore a pending back-off and try the management node now.")
    boolean sendNow;

    @Option(
            names = "--docker-stats",
            paramLabel = "SOURCE",
            description =
                    "Container usage from: cgroup (the kernel's cgroup files, the Engine API"
                            + " only for containers whose cgroup is not found; the default) or api (dockerd's one-shot stats: ~1 s per sample on dockerd < 23.0.8).")
    String dockerStats;

    static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/pr-cybr/telemetry");

    public static void main(String[] args) {
        System.exit(Cli.execute(new telemetry(), args));
    }

    /** The units' and the timer's command lines, read without picocli's model (lib.cli.QuickArgs: ~90 ms of CPU a run). */
    @Override
    protected String[] quickOptions() {
        return new String[] {
            "--once",
            "--daemon",
            "-o|--output=*",
            "--interval=",
            "--state-dir=",
            "--textfile-dir=",
            "--listen=",
            "--pretty",
            "--send-now",
            "--docker-stats="
        };
    }

    @Override
    protected void quickSet(String name, String value) {
        switch (name) {
            case "--once" -> once = true;
            case "--daemon" -> daemon = true;
            case "--output" -> outputs.add(value);
            case "--interval" -> interval = value;
            case "--state-dir" -> stateDir = Path.of(value);
            case "--textfile-dir" -> textfileDir = Path.of(value);
            case "--listen" -> listen = value;
            case "--pretty" -> pretty = true;
            case "--send-now" -> sendNow = true;
            case "--docker-stats" -> dockerStats = value;
            default -> super.quickSet(name, value);
        }
    }

    @Override
    protected int run() throws Exception {
        if (once && daemon) {
            throw N0d3Exception.usage("--once and --daemon are mutually exclusive (give one)");
        }
        DockerCollector.StatsSource statsSource = DockerCollector.StatsSource.CGROUP;
        if (dockerStats != null) {
            try {
                statsSource = DockerCollector.StatsSource.parse(dockerStats);
            } catch (IllegalArgumentException e) {
                throw N0d3Exception.usage("--docker-stats: " + e.getMessage());
            }
        }
        if (!daemon && (interval != null || listen != null)) {
            throw N0d3Exception.usage((interval != null ? "--interval" : "--listen") + " only applies with --daemon");
        }
        long t0 = System.nanoTime();
        // a repeat run on unchanged config reuses the bound codex (lib.config.CodexCache): no YAML, no binding
        Path cacheDir = stateDir != null
                ? stateDir
                : Files.isWritable(DEFAULT_STATE_DIR) ? DEFAULT_STATE_DIR : TelemetryConfig.userStateDir(env());
        try {
            StateDir.create(cacheDir); // 0700 before the codex cache is written into it
        } catch (java.io.IOException | RuntimeException e) {
            // the cache is best effort; an unusable state dir is reported below
        }
        Settings s = Settings.load(common.config, env(), cacheDir.resolve("codex.validated"));
        if (Log.verbose()) { // the management bean costs ~25 ms: only when it is shown
            Log.debug("settings from " + s.describeSource() + " in " + (System.nanoTime() - t0) / 1_000_000
                    + " ms (JVM up "
                    + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " ms)");
        }
        TelemetryConfig cfg = TelemetryConfig.resolve(s, outputs, stateDir, textfileDir, interval, listen, daemon)
                .withUsableStateDir(stateDir != null, env())
                .withDockerStats(statsSource);
        MgmtClient mgmt = cfg.sinks().contains(TelemetryConfig.Sink.MGMT)
                ? MgmtClient.fromSettings(s).orElseThrow()
                : null;
        TelemetryAgent agent = new TelemetryAgent(cfg, Payload.nodeId(env(), s.nodeName()), env(), mgmt, pretty);
        if (!daemon) {
            return agent.once(sendNow);
        }
        Daemon d = new Daemon(agent);
        InetSocketAddress at = d.start();
        Runtime.getRuntime().addShutdownHook(new Thread(d::stop, "telemetry-stop"));
        Log.ok("telemetry daemon on http://" + at.getHostString() + ":" + at.getPort() + cfg.metricsPath() + " every "
                + Units.format(cfg.interval()) + ", sinks " + cfg.sinks() + ", state " + cfg.stateDir());
        d.awaitStop();
        return 0;
    }
}
