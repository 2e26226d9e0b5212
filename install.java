///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS org.zeroturnaround:zt-exec:1.12
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.8
//DEPS com.fasterxml.jackson.dataformat:jackson-dataformat-yaml:2.21.8
//DEPS com.networknt:json-schema-validator:1.5.9
//DEPS org.slf4j:slf4j-api:2.0.20
//DEPS org.slf4j:slf4j-nop:2.0.20
//DEPS io.github.java-diff-utils:java-diff-utils:4.16
//SOURCES lib/cli/BaseCommand.java
//SOURCES lib/cli/Cli.java
//SOURCES lib/cli/QuickArgs.java
//SOURCES lib/cli/CommonOptions.java
//SOURCES lib/cli/DryRunOption.java
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
//SOURCES lib/proc/Command.java
//SOURCES lib/proc/ProcessFailedException.java
//SOURCES lib/proc/ProcessResult.java
//SOURCES lib/proc/ProcessRunner.java
//SOURCES lib/docker/DockerApiException.java
//SOURCES lib/docker/DockerClient.java
//SOURCES lib/docker/DockerHost.java
//SOURCES lib/docker/EngineHttp.java
//SOURCES lib/docker/ListedContainer.java
//SOURCES lib/json/Json.java
//SOURCES lib/host/Arch.java
//SOURCES lib/host/Distro.java
//SOURCES lib/host/HostFacts.java
//SOURCES lib/host/OsRelease.java
//SOURCES lib/overlay/NamePattern.java
//SOURCES lib/overlay/OverlayConfigs.java
//SOURCES lib/overlay/OverlaySettings.java
//SOURCES lib/overlay/TailscaleConfig.java
//SOURCES lib/overlay/ZeroTierConfig.java
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
//SOURCES lib/swarm/Preflight.java
//SOURCES lib/swarm/Probe.java
//SOURCES lib/swarm/Quorum.java
//SOURCES lib/swarm/RouteSource.java
//SOURCES lib/swarm/SwarmState.java
//SOURCES lib/swarm/Waiting.java
//SOURCES lib/plan/Step.java
//SOURCES lib/plan/Steps.java
//SOURCES lib/plan/Result.java
//SOURCES lib/install/CommandAction.java
//SOURCES lib/install/DaemonJson.java
//SOURCES lib/install/DirChange.java
//SOURCES lib/install/DockerPackages.java
//SOURCES lib/install/DockerPhase.java
//SOURCES lib/install/FileChange.java
//SOURCES lib/install/PathChange.java
//SOURCES lib/install/InstallContext.java
//SOURCES lib/install/InstallOptions.java
//SOURCES lib/install/InstallRun.java
//SOURCES lib/install/InstallState.java
//SOURCES lib/install/Installer.java
//SOURCES lib/install/LinkChange.java
//SOURCES lib/install/Modes.java
//SOURCES lib/overlay/OverlayCli.java
//SOURCES lib/overlay/TailscaleCli.java
//SOURCES lib/install/OverlayPackages.java
//SOURCES lib/install/OverlayPhase.java
//SOURCES lib/install/Phase.java
//SOURCES lib/install/PhasePlan.java
//SOURCES lib/install/Plan.java
//SOURCES lib/install/Preflight.java
//SOURCES lib/install/RegistrationPhase.java
//SOURCES lib/install/ServiceManager.java
//SOURCES lib/install/SudoReexec.java
//SOURCES lib/install/SwarmEnrolment.java
//SOURCES lib/install/SwarmPhase.java
//SOURCES lib/install/SysctlDropIn.java
//SOURCES lib/install/SystemSettingsPhase.java
//SOURCES lib/install/TargetRoot.java
//SOURCES lib/install/TelemetryPhase.java
//SOURCES lib/install/TelemetryUnits.java
//SOURCES lib/install/CompletionPhase.java
//SOURCES lib/cli/Completion.java
//SOURCES lib/cli/Launcher.java
//SOURCES lib/install/Uninstaller.java
//SOURCES lib/install/VerificationPhase.java
//SOURCES lib/install/VerificationTable.java
//SOURCES lib/overlay/ZeroTierCentral.java
//SOURCES lib/overlay/ZeroTierCli.java
//SOURCES lib/host/ListeningSockets.java
//SOURCES lib/install/NetworkAudit.java
//SOURCES lib/install/TraefikAudit.java
//SOURCES lib/install/AccessAudit.java
//SOURCES lib/install/RuntimeJar.java
//SOURCES lib/install/UnitJava.java
// The node's runtime: JBang's build of this script carries every script behind lib/cli/Launcher (JBang reads
// the directives of these files too), so that under JBang the installer assembles the same runnable n0d3.jar
// as the Maven build for the units (lib/install/RuntimeJar).
//SOURCES telemetry.java
//SOURCES swarm_join.java
//SOURCES build_amd.java
//SOURCES build_arm.java
//SOURCES tfc_sync.java
//FILES codex.yaml
//FILES schemas/codex.schema.json=schemas/codex.schema.json
//FILES schemas/mgmt-swarm-managers.schema.json=schemas/mgmt-swarm-managers.schema.json
//FILES schemas/zerotier-network.schema.json=schemas/zerotier-network.schema.json
//FILES schemas/tailscale.schema.json=schemas/tailscale.schema.json
//FILES configs/zerotier/network.conf=configs/zerotier/network.conf
//FILES configs/tailscale/tailscale.conf=configs/tailscale/tailscale.conf
//FILES configs/systemd/pr-cybr-telemetry.service=configs/systemd/pr-cybr-telemetry.service
//FILES configs/systemd/pr-cybr-telemetry.timer=configs/systemd/pr-cybr-telemetry.timer
//FILES configs/bash-completion/install.bash=configs/bash-completion/install.bash
//FILES configs/bash-completion/swarm-join.bash=configs/bash-completion/swarm-join.bash
//FILES configs/bash-completion/telemetry.bash=configs/bash-completion/telemetry.bash
//FILES configs/bash-completion/build-amd.bash=configs/bash-completion/build-amd.bash
//FILES configs/bash-completion/build-arm.bash=configs/bash-completion/build-arm.bash
//FILES configs/bash-completion/tfc-sync.bash=configs/bash-completion/tfc-sync.bash

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import lib.cli.BaseCommand;
import lib.cli.Cli;
import lib.cli.DryRunOption;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.cli.Version;
import lib.host.Distro;
import lib.host.HostFacts;
import lib.install.InstallOptions;
import lib.install.InstallRun;
import lib.install.SudoReexec;
import lib.install.TargetRoot;
import lib.install.Uninstaller;
import lib.overlay.OverlaySettings;
import lib.proc.ProcessRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "install.java",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        description = {
            "Turns this host into a PR-CYBR fleet node, in phases: preflight, Docker, system settings (sysctl drop-in, "
                    + "daemon.json merge, directories), overlays (ZeroTier, Tailscale), swarm, telemetry units, shell completion of "
                    + "every script (/etc/bash_completion.d), registration with the management node, verification. A re-run on a "
                    + "converged host reports every phase \"unchanged\" and restarts nothing. --dry-run prints the exact plan: "
                    + "unified diffs of files, commands, service actions.",
            "",
            "Reads codex.yaml (--config, ./codex.yaml, /etc/pr-cybr/codex.yaml or the embedded default) and MGMT_NODE_URL, "
                    + "API_TOKEN(_FILE), SWARM_MANAGER_IP, SWARM_JOIN_TOKEN(_FILE), ZEROTIER_NETWORK_ID, ZEROTIER_API_TOKEN(_FILE), "
                    + "TAILSCALE_AUTH_KEY(_FILE), NODE_NAME, NODE_ID, TELEMETRY_INTERVAL, DOCKER_HOST. Secrets come from files or the "
                    + "environment, never from flags. Not root: runs itself again through sudo. No terminal, or --yes: no question "
                    + "asked. What it did is kept in /var/lib/pr-cybr/install-state.json (under --root).",
            "",
            "The verification ends with a security audit: what listens where (dockerd's Engine API on TCP without --tlsverify, "
                    + "the telemetry daemon off loopback, swarm ports beyond the overlay, Traefik's dashboard on an open entry point) "
                    + "and the modes and owners of /etc/pr-cybr, its secrets and the state dirs. --verify runs the verification and "
                    + "the audit alone, read-only (SOP-006)."
        },
        footer = {
            "",
            "Exit codes: 0 ok, 1 operational failure or a failed verification, 2 usage or config error (nothing written), "
                    + "3 unexpected host state (nothing written)."
        })
public class install extends BaseCommand {
    @Mixin
    DryRunOption dry = new DryRunOption();

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask before changing anything (the default without a terminal).")
    boolean yes;

    @Option(
            names = "--root",
            paramLabel = "DIR",
            description =
                    "Write every file under DIR instead of / (like dpkg --root); services and the running kernel are then left alone and Docker is the one DOCKER_HOST points at.")
    Path root = Path.of("/");

    @Option(
            names = "--force-distro",
            paramLabel = "FAMILY",
            description = "Treat an unknown distribution as this family: debian, fedora or alpine.")
    String forceDistro;

    @Option(
            names = "--install-overlays",
            description = "Install zerotier-one / tailscale when an enabled overlay's CLI is missing.")
    boolean installOverlays;

    @Option(
            names = "--require-registration",
            description =
                    "A failed registration with the management node fails the install (exit 1) instead of warning.")
    boolean requireRegistration;

    @Option(
            names = "--uninstall",
            description =
                    "Undo what the install state records: units, sysctl drop-in, the installer's daemon.json keys, files.")
    boolean uninstall;

    @Option(
            names = "--purge",
            description =
                    "With --uninstall: also remove /etc/pr-cybr, /var/lib/pr-cybr, /var/log/pr-cybr and the install state.")
    boolean purge;

    @Option(
            names = "--remove-docker",
            description = "With --uninstall: remove Docker too, when install.java installed it.")
    boolean removeDocker;

    @Option(names = "--leave-swarm", description = "With --uninstall: leave the Docker swarm.")
    boolean leaveSwarm;

    @Option(
            names = "--jar",
            paramLabel = "FILE",
            description =
                    "The n0d3.jar to install as /opt/pr-cybr/n0d3.jar for the units (default: the jar this runs from; under JBang, one assembled from JBang's build and its dependency jars). Checked before it is installed.")
    Path jar;

    @Option(
            names = "--detect",
            description = "Print the host facts (architecture, distro, init system, container, Docker) and exit.")
    boolean detect;

    @Option(
            names = "--verify",
            description =
                    "Change nothing: run codex.yaml's verification checks and the security audit (network of the running system, files under --root); exit 1 when one fails.")
    boolean verify;

    public static void main(String[] args) {
        System.exit(Cli.execute(new install(), args));
    }

    @Override
    protected int run() {
        if (!uninstall && (purge || removeDocker || leaveSwarm)) {
            throw N0d3Exception.usage("--purge, --remove-docker and --leave-swarm go with --uninstall");
        }
        if (verify && (uninstall || dry.dryRun || detect))
            throw N0d3Exception.usage(
                    "--verify changes nothing: it does not go with --uninstall, --dry-run or --detect");
        Distro.Family family = null;
        if (forceDistro != null) {
            try {
                family = Distro.Family.valueOf(forceDistro.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                family = Distro.Family.UNKNOWN;
            }
            if (family == Distro.Family.UNKNOWN)
                throw N0d3Exception.usage(
                        "--force-distro: expected debian, fedora or alpine, got '" + forceDistro + "'");
        }
        TargetRoot target = new TargetRoot(root);
        if (!detect && !dry.dryRun && target.live() && SudoReexec.effectiveUid() != 0) {
            return SudoReexec.run(new ProcessRunner(), env());
        }
        if (!java.nio.file.Files.isDirectory(target.dir()))
            throw N0d3Exception.usage("--root: " + target.dir() + " is not a directory");
        var settings = settings();
        HostFacts facts = HostFacts.detect(target.dir(), env());
        if (detect) {
            Log.result(common.json ? facts.toJson() : facts.toText());
            if (facts.archError() != null) Log.warn(facts.archError());
            return 0;
        }
        InstallOptions options = InstallOptions.defaults()
                .withDryRun(dry.dryRun)
                .withForceDistro(family)
                .withInstallOverlays(installOverlays)
                .withRequireRegistration(requireRegistration)
                .withJar(jar);
        Uninstaller.Options un = uninstall ? new Uninstaller.Options(purge, removeDocker, leaveSwarm) : null;
        return new InstallRun(
                        settings,
                        facts,
                        target,
                        Path.of("/"),
                        options,
                        un,
                        common.json,
                        yes,
                        env(),
                        OverlaySettings.load(settings, env(), InstallRun.hostname(Path.of("/"))),
                        Clock.systemUTC(),
                        System.console(),
                        verify)
                .run();
    }
}
