///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.8
//DEPS com.fasterxml.jackson.dataformat:jackson-dataformat-yaml:2.21.8
//DEPS com.networknt:json-schema-validator:1.5.9
//DEPS org.slf4j:slf4j-api:2.0.20
//DEPS org.slf4j:slf4j-nop:2.0.20
//SOURCES lib/cli/BaseCommand.java
//SOURCES lib/cli/Cli.java
//SOURCES lib/cli/QuickArgs.java
//SOURCES lib/cli/CommonOptions.java
//SOURCES lib/cli/DryRunOption.java
//SOURCES lib/cli/ExitCode.java
//SOURCES lib/cli/Log.java
//SOURCES lib/cli/N0d3Exception.java
//SOURCES lib/cli/PositiveDuration.java
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
//SOURCES lib/docker/DockerApiException.java
//SOURCES lib/docker/DockerClient.java
//SOURCES lib/docker/DockerHost.java
//SOURCES lib/docker/EngineHttp.java
//SOURCES lib/docker/ListedContainer.java
//SOURCES lib/json/Json.java
//SOURCES lib/http/Endpoint.java
//SOURCES lib/http/HttpTransport.java
//SOURCES lib/http/PatchSender.java
//SOURCES lib/http/Response.java
//SOURCES lib/http/Retry.java
//SOURCES lib/http/RetryPolicy.java
//SOURCES lib/http/TransportException.java
//SOURCES lib/mgmt/MgmtClient.java
//SOURCES lib/swarm/AddressSelector.java
//SOURCES lib/swarm/JoinOptions.java
//SOURCES lib/swarm/JoinToken.java
//SOURCES lib/swarm/Joiner.java
//SOURCES lib/swarm/Leave.java
//SOURCES lib/swarm/LeftMarker.java
//SOURCES lib/swarm/ManagerAddress.java
//SOURCES lib/swarm/ManagerCandidate.java
//SOURCES lib/swarm/ManagerOrder.java
//SOURCES lib/swarm/MgmtManagers.java
//SOURCES lib/swarm/NetIface.java
//SOURCES lib/swarm/Outcome.java
//SOURCES lib/swarm/OverlayNetworks.java
//SOURCES lib/plan/Step.java
//SOURCES lib/plan/Steps.java
//SOURCES lib/plan/Result.java
//SOURCES lib/swarm/Preflight.java
//SOURCES lib/swarm/Probe.java
//SOURCES lib/swarm/Quorum.java
//SOURCES lib/swarm/RouteSource.java
//SOURCES lib/swarm/Status.java
//SOURCES lib/swarm/SwarmState.java
//SOURCES lib/swarm/Waiting.java
//SOURCES lib/swarm/Watch.java
//FILES codex.yaml
//FILES schemas/codex.schema.json=schemas/codex.schema.json
//FILES schemas/mgmt-swarm-managers.schema.json=schemas/mgmt-swarm-managers.schema.json

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lib.cli.BaseCommand;
import lib.cli.Cli;
import lib.cli.DryRunOption;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.cli.PositiveDuration;
import lib.cli.Version;
import lib.config.Settings;
import lib.docker.DockerClient;
import lib.mgmt.MgmtClient;
import lib.plan.Result;
import lib.secret.Secret;
import lib.secret.SecretSource;
import lib.swarm.AddressSelector;
import lib.swarm.JoinOptions;
import lib.swarm.JoinToken;
import lib.swarm.Joiner;
import lib.swarm.Leave;
import lib.swarm.LeftMarker;
import lib.swarm.ManagerAddress;
import lib.swarm.ManagerCandidate;
import lib.swarm.MgmtManagers;
import lib.swarm.Outcome;
import lib.swarm.Status;
import lib.swarm.Watch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "swarm_join.java",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        description = {
            "Enrols this host in the fleet's Docker Swarm, safely and idempotently (SOP-002).",
            "",
            "The join token is read from --token-file, SWARM_JOIN_TOKEN_FILE, SWARM_JOIN_TOKEN or --token-stdin, never from a flag value, "
                    + "and goes to dockerd in the Engine API request body (POST /swarm/join), never on a command line.",
            "",
            "Managers come from --manager, SWARM_MANAGER_IP, codex.yaml capabilities.swarm.managers or, when none is given, "
                    + "the management node (GET /api/swarm/managers).",
            "",
            "Re-running on a node already in the token's swarm with the requested role changes nothing."
        },
        footer = {
            "",
            "Exit codes: 0 ok (including no change), 1 operational failure (no manager reachable, token refused, Docker down), "
                    + "2 usage or config error, 3 unexpected host state (another swarm, other role, locked, a leave that would break quorum)."
        })
public class swarm_join extends BaseCommand {
    @Mixin
    DryRunOption dryRun = new DryRunOption();

    @Option(
            names = {"-m", "--manager"},
            paramLabel = "ADDR",
            split = ",",
            description =
                    "Manager address host[:port] (port 2377 by default); repeat or comma-separate. Default: SWARM_MANAGER_IP, then codex.yaml, then the management node.")
    List<String> managers = new ArrayList<>();

    @Option(
            names = "--role",
            paramLabel = "ROLE",
            description = "worker or manager: the role the token gives (default: codex.yaml capabilities.swarm.role).")
    String role;

    /** Where the join token comes from, when not from the environment: one of the two. */
    static class TokenFrom {
        @Option(
                names = "--token-file",
                paramLabel = "FILE",
                description =
                        "File holding the join token (mode 600). Default: SWARM_JOIN_TOKEN_FILE, then SWARM_JOIN_TOKEN.")
        Path file;

        @Option(names = "--token-stdin", description = "Read the join token from standard input.")
        boolean stdin;
    }

    @ArgGroup(exclusive = true)
    TokenFrom tokenFrom = new TokenFrom();

    @Option(
            names = "--advertise-addr",
            paramLabel = "IP|IFACE",
            description =
                    "Address to advertise: an IP or an interface (zt..., tailscale0, eth0). Default: the ZeroTier interface, else tailscale0, else the source of the route to the manager.")
    String advertiseAddr;

    @Option(
            names = "--data-path-addr",
            paramLabel = "IP|IFACE",
            description = "Address for overlay (VXLAN) traffic; default: the advertise address.")
    String dataPathAddr;

    @Option(
            names = "--listen-addr",
            paramLabel = "ADDR",
            description = "Listen address for cluster management (default: ${DEFAULT-VALUE}).")
    String listenAddr = "0.0.0.0:2377";

    @Option(
            names = "--probe-timeout",
            paramLabel = "DURATION",
            converter = PositiveDuration.class,
            description = "TCP probe of each manager (default: codex.yaml capabilities.swarm.probe_timeout).")
    Duration probeTimeout;

    @Option(
            names = "--join-timeout",
            paramLabel = "DURATION",
            converter = PositiveDuration.class,
            description = "Bound on one join attempt (default: codex.yaml capabilities.swarm.join_timeout).")
    Duration joinTimeout;

    @Option(
            names = "--mtu",
            paramLabel = "N",
            description = "MTU of the overlay networks a manager creates (default: the underlay's MTU minus 50).")
    Integer mtu;

    @Option(names = "--force-leave", description = "If the node is in another swarm, leave it and join this one.")
    boolean forceLeave;

    /** What a run does instead of a join: one at most. */
    static class Mode {
        @Option(
                names = "--check",
                description =
                        "Run the preflight checks only (Docker, managers' 2377 and 7946 from the chosen address, MTU, clock).")
        boolean check;

        @Option(
                names = "--status",
                description = "Print node id, role, state, managers and their reachability (with --json for machines).")
        boolean status;

        @Option(names = "--leave", description = "Leave the swarm. A manager needs --force; it is demoted first.")
        boolean leave;

        @Option(
                names = "--watch",
                description =
                        "Health loop: rejoin whenever the node drops out (not after --leave). Run by pr-cybr-swarm-watch.service.")
        boolean watch;
    }

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    @Option(names = "--force", description = "With --leave: allow a manager to leave.")
    boolean force;

    @Option(
            names = "--break-quorum",
            description = "With --leave --force or --force-leave: leave even when the remaining managers lose quorum.")
    boolean breakQuorum;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            converter = PositiveDuration.class,
            defaultValue = "30s",
            description = "With --watch: time between checks (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Where --leave records a deliberate leave for --watch (default: ${DEFAULT-VALUE}).")
    Path stateDir = LeftMarker.DEFAULT_DIR;

    @Option(names = "--watch-rounds", hidden = true, description = "With --watch: stop after N rounds (tests).")
    int watchRounds;

    public static void main(String[] args) {
        System.exit(Cli.execute(new swarm_join(), args));
    }

    @Override
    protected int run() {
        if (dryRun.dryRun && (mode.watch || mode.status || mode.check)) {
            throw N0d3Exception.usage("--dry-run goes with a join or --leave, not with --check, --status or --watch");
        }
        if (force && !mode.leave)
            throw N0d3Exception.usage(
                    "--force goes with --leave (to move a node from another swarm, use --force-leave)");
        if (mtu != null && (mtu < 576 || mtu > 9000))
            throw N0d3Exception.usage("--mtu: expected 576..9000, got " + mtu);
        Settings s = settings();
        DockerClient docker = DockerClient.fromEnv(env());
        LeftMarker marker = new LeftMarker(stateDir);
        Duration probe = s.swarmProbeTimeout(probeTimeout);
        if (mode.status) return print(Status.read(docker, probe));
        if (mode.leave) return print(Leave.run(docker, force, breakQuorum, dryRun.dryRun, marker));
        if (mode.watch) {
            Watch w = new Watch();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> w.stopAndWait(Duration.ofSeconds(60)), "watch-stop"));
            return w.loop(
                    docker,
                    marker,
                    interval,
                    watchRounds,
                    () -> joiner(s, docker, probe, marker, true).run());
        }
        Joiner j = joiner(s, docker, probe, marker, !mode.check);
        return print(mode.check ? j.check() : j.run());
    }

    private Joiner joiner(Settings s, DockerClient docker, Duration probe, LeftMarker marker, boolean tokenRequired) {
        String r = s.swarmRole(role);
        JoinToken token = token(s, tokenRequired);
        Optional<MgmtManagers.Answer> mgmtAnswer = Optional.empty();
        List<ManagerCandidate> list = new ArrayList<>();
        Settings.Value<List<String>> given = s.swarmManagers(managers);
        for (String m : given.value())
            list.add(ManagerCandidate.of(ManagerAddress.parse(m, given.from()), given.from()));
        Optional<MgmtClient> mgmt = MgmtClient.fromSettings(s);
        if (mgmt.isPresent() && (list.isEmpty() || mode.check)) {
            try {
                MgmtManagers.Fetched f = MgmtManagers.fetch(mgmt.get());
                mgmtAnswer = Optional.of(f.answer());
                if (list.isEmpty()) {
                    list.addAll(f.managers());
                    Log.info("managers from the management node " + mgmt.get().base() + ": "
                            + f.managers().size());
                }
            } catch (N0d3Exception e) {
                if (list.isEmpty() && !mode.check) throw e;
                Log.warn(e.getMessage());
            }
        }
        var sw = s.codex().capabilities().swarm();
        JoinOptions o = new JoinOptions(
                r,
                list,
                token,
                advertiseAddr,
                dataPathAddr,
                listenAddr,
                probe,
                s.swarmJoinTimeout(joinTimeout),
                forceLeave,
                breakQuorum,
                sw.networks(),
                mtu,
                dryRun.dryRun,
                mgmtAnswer,
                marker);
        return new Joiner(docker, AddressSelector.system(), o);
    }

    /** --token-stdin, --token-file, SWARM_JOIN_TOKEN_FILE, SWARM_JOIN_TOKEN: never a flag value. */
    private JoinToken token(Settings s, boolean required) {
        Optional<Secret> t;
        if (tokenFrom.stdin) t = Optional.of(SecretSource.fromStream(System.in, "--token-stdin"));
        else if (tokenFrom.file != null) t = Optional.of(SecretSource.fromFile(tokenFrom.file, "--token-file"));
        else t = s.swarmJoinToken(null);
        if (t.isEmpty()) {
            if (!required) return null;
            throw N0d3Exception.usage(
                    "no join token given; pass --token-file FILE, SWARM_JOIN_TOKEN_FILE, SWARM_JOIN_TOKEN or --token-stdin "
                            + "(get it with 'docker swarm join-token -q worker' on a manager)");
        }
        return JoinToken.parse(t.get());
    }

    private int print(Outcome o) {
        return Result.print(o, common.json);
    }
}
